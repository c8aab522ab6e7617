"""The old admin screens, still a separate single-module app."""

from flask import Flask, url_for

legacy = Flask(__name__)


@legacy.route("/reports/<slug:name>")
def report(name):
    return name


@legacy.route("/")
def home():
    return url_for("reports")
