"""Nightly jobs: ``flask --app shop.worker report``."""

import click
from flask import current_app, request

from . import create_app

app = create_app()
REPORT_DIR = current_app.config.get("REPORT_DIR", "reports")


@app.cli.command("report")
def report():
    click.echo(f"report for {request.host}")
