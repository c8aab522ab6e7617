"""Linting never executes the linted project: not the file, its package, conftest.py or setup.py,
nor a module that cross-module resolution reads to find an imported app."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from flake8_run import flake8, parse

WRITES_MARKER = """\
import pathlib

pathlib.Path({marker!r}).write_text("executed")
"""


def project_with_traps(root: Path, markers: Path) -> Path:
    def trap(name: str) -> str:
        return WRITES_MARKER.format(marker=str(markers / name))

    files = {
        "setup.py": trap("setup.py") + "from setuptools import setup\n\nsetup(name='trap')\n",
        "conftest.py": trap("root-conftest.py"),
        "pkg/__init__.py": trap("pkg-__init__.py") + "from .factory import create_app\n",
        "pkg/conftest.py": trap("pkg-conftest.py") + "import pytest\n",
        "pkg/__main__.py": trap("pkg-__main__.py") + "from pkg.server import app\napp.run()\n",
        # The module that defines the app: resolving ``from pkg.server import app`` reads it.
        "pkg/server.py": trap("pkg-server.py") + textwrap.dedent(
            """\
            from flask import Flask

            app = Flask(__name__)
            app.config["SECRET_KEY"] = "f00dfacec0ffee0123456789abcdef01"
            """
        ),
        "pkg/factory.py": trap("pkg-factory.py") + textwrap.dedent(
            """\
            import flask


            def create_app():
                return flask.Flask(__name__)
            """
        ),
        # The linted file: its import would write a marker, and it resolves apps through others.
        "pkg/views.py": trap("pkg-views.py") + textwrap.dedent(
            """\
            import setup
            from . import conftest
            from .server import app
            from pkg.factory import create_app

            app.run(debug=True)
            create_app().run(debug=True)
            """
        ),
        "manage.py": trap("manage.py") + "from pkg.server import app\n\napp.run(debug=True)\n",
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_the_traps_fire_when_imported(tmp_path: Path) -> None:
    """Importing the project really writes markers, so an empty marker directory means something."""
    markers = tmp_path / "markers"
    markers.mkdir()
    project = project_with_traps(tmp_path / "project", markers)
    # The import may fail further on (``import setup`` runs setuptools); the markers come first.
    subprocess.run([sys.executable, "-c", "import pkg.views"], cwd=project, capture_output=True, text=True)
    assert {"pkg-__init__.py", "pkg-views.py"} <= {m.name for m in markers.iterdir()}


def test_linting_executes_nothing(tmp_path: Path) -> None:
    markers = tmp_path / "markers"
    markers.mkdir()
    project = project_with_traps(tmp_path / "project", markers)

    runs = [
        flake8("--isolated", "--select=FKS", "-j1", ".", cwd=project),
        flake8("--isolated", "--select=FKS", "-j2", "pkg/views.py", "manage.py", "setup.py", cwd=project),
        flake8("--isolated", "--select=FKS", "--stdin-display-name=pkg/views.py", "-", cwd=project,
               stdin=(project / "pkg" / "views.py").read_text(encoding="utf-8")),
    ]
    for run in runs:
        assert run.returncode in (0, 1), run.stderr
        assert "Traceback" not in run.stderr and "FKS000" not in run.stdout, run.stderr

    found = {(Path(f.path).as_posix().removeprefix("./"), f.line, f.code) for f in parse(runs[0].stdout)}
    # The apps were found through the modules that define them, so those modules were read.
    assert ("pkg/views.py", 9, "FKS101") in found, found
    assert ("pkg/views.py", 10, "FKS101") in found, found
    assert ("manage.py", 6, "FKS101") in found, found
    assert sorted(m.name for m in markers.iterdir()) == [], "linting executed project code"
