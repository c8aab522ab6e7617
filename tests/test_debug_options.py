"""FKS1xx through real flake8 runs: ``--fks-dev-config-names`` from the command line and from
config files, and the exact line and column each code is reported at."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from flake8_run import flake8, lint, parse

CONFIG_CLASSES = textwrap.dedent(
    """\
    class Config:
        DEBUG = False
        SESSION_COOKIE_SECURE = True


    class StagingConfig(Config):
        DEBUG = True


    class SandboxConfig(Config):
        DEBUG = True


    class ProductionConfig(Config):
        DEBUG = True


    class DevelopmentConfig(Config):
        DEBUG = True
    """
)
STAGING, SANDBOX, PRODUCTION = 7, 11, 15


def _write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _lines(found: list, code: str = "FKS102") -> list[int]:
    return sorted(r.line for r in found if r.code == code)


# -- --fks-dev-config-names ------------------------------------------------------------------
def test_default_markers(tmp_path: Path) -> None:
    _write(tmp_path, "config.py", CONFIG_CLASSES)
    assert _lines(lint("config.py", cwd=tmp_path)) == [STAGING, SANDBOX, PRODUCTION]


def test_option_on_command_line(tmp_path: Path) -> None:
    _write(tmp_path, "config.py", CONFIG_CLASSES)
    found = lint("config.py", extra=("--fks-dev-config-names=staging,Sandbox",), cwd=tmp_path)
    assert _lines(found) == [PRODUCTION]


def test_option_single_word(tmp_path: Path) -> None:
    _write(tmp_path, "config.py", CONFIG_CLASSES)
    found = lint("config.py", extra=("--fks-dev-config-names", "staging"), cwd=tmp_path)
    assert _lines(found) == [SANDBOX, PRODUCTION]


@pytest.mark.parametrize("config_name", ["setup.cfg", ".flake8", "tox.ini"])
def test_option_from_config_file(tmp_path: Path, config_name: str) -> None:
    _write(tmp_path, "config.py", CONFIG_CLASSES)
    _write(
        tmp_path,
        config_name,
        """\
        [flake8]
        select = FKS
        fks-dev-config-names =
            staging,
            sandbox
        """,
    )
    # No --isolated: flake8 must read the project's config file.
    result = flake8("config.py", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert _lines(parse(result.stdout)) == [PRODUCTION]


def test_option_config_file_with_underscores(tmp_path: Path) -> None:
    _write(tmp_path, "config.py", CONFIG_CLASSES)
    _write(tmp_path, "setup.cfg", "[flake8]\nselect = FKS\nfks_dev_config_names = staging\n")
    result = flake8("config.py", cwd=tmp_path)
    assert "Traceback" not in result.stderr, result.stderr
    assert _lines(parse(result.stdout)) == [SANDBOX, PRODUCTION]


def test_option_marks_config_modules(tmp_path: Path) -> None:
    settings = """\
    DEBUG = True
    SESSION_COOKIE_SECURE = False
    TEMPLATES_AUTO_RELOAD = True
    """
    _write(tmp_path, "settings/sandbox.py", settings)
    _write(tmp_path, "settings/production.py", settings)
    _write(tmp_path, "settings/development.py", settings)
    found = lint("settings", cwd=tmp_path)
    assert sorted((Path(r.path).name, r.line) for r in found if r.code == "FKS102") == [
        ("production.py", 1),
        ("sandbox.py", 1),
    ]
    found = lint("settings", extra=("--fks-dev-config-names=sandbox",), cwd=tmp_path)
    assert sorted((Path(r.path).name, r.line) for r in found if r.code == "FKS102") == [
        ("production.py", 1),
    ]


def test_option_does_not_silence_runtime_writes(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "app.py",
        """\
        from flask import Flask

        app = Flask(__name__)
        app.config["DEBUG"] = True
        """,
    )
    found = lint("app.py", extra=("--fks-dev-config-names=app,flask",), cwd=tmp_path)
    assert _lines(found) == [4]


# -- reported line and column ----------------------------------------------------------------
POSITIONS = """\
import os
from flask import Flask
from werkzeug.debug import DebuggedApplication
from werkzeug.serving import run_simple

app = Flask(__name__)
OPTIONS = {"debug": True}
app.debug = True
app.config["DEBUG"] = True
app.config.update(TESTING=False, DEBUG=True)
os.environ["FLASK_DEBUG"] = "1"
wrapped = DebuggedApplication(app, evalex=True)


class ProductionConfig:
    DEBUG = True
    TESTING = False


def serve():
    app.run(host="0.0.0.0", port=5000, debug=True)
    app.run("::", 5000, True)
    app.run(port=5000, **OPTIONS)
    run_simple("0.0.0.0", 5000, app, use_debugger=True)
    app.run(use_evalex=True)


x = 1; app.run()
"""


@pytest.fixture(scope="module")
def positions(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[int, int, str]]:
    directory = tmp_path_factory.mktemp("positions")
    _write(directory, "server.py", POSITIONS)
    # flake8 reports columns 1-based.
    return {(r.line, r.col, r.code) for r in lint("server.py", cwd=directory)}


@pytest.mark.parametrize(
    "line, col, code",
    [
        (8, 1, "FKS102"),  # app.debug = True: the assignment target
        (9, 1, "FKS102"),  # app.config["DEBUG"] = True: the target
        (10, 34, "FKS102"),  # config.update(..., DEBUG=True): the keyword
        (11, 1, "FKS102"),  # os.environ["FLASK_DEBUG"] = "1": the target
        (12, 11, "FKS103"),  # DebuggedApplication(...): the call
        (16, 5, "FKS102"),  # DEBUG = True in a config class: the attribute
        (21, 40, "FKS101"),  # debug=True: the keyword
        (21, 13, "FKS105"),  # host="0.0.0.0": the keyword
        (22, 25, "FKS101"),  # third positional argument
        (22, 13, "FKS105"),  # first positional argument
        (23, 24, "FKS101"),  # **OPTIONS in the call, not the dict literal above
        (24, 16, "FKS105"),  # run_simple's hostname
        (24, 38, "FKS103"),  # use_debugger=True: the keyword
        (25, 13, "FKS103"),  # use_evalex=True in app.run
        (28, 8, "FKS104"),  # app.run() at import time: the call
    ],
)
def test_reported_at(positions: set[tuple[int, int, str]], line: int, col: int, code: str) -> None:
    assert (line, col, code) in positions, sorted(positions)


def test_nothing_else_reported(positions: set[tuple[int, int, str]]) -> None:
    assert len(positions) == 15, sorted(positions)


def test_messages_name_the_problem(tmp_path: Path) -> None:
    _write(tmp_path, "server.py", POSITIONS)
    texts = {r.code: r.text for r in lint("server.py", cwd=tmp_path)}
    assert "debug" in texts["FKS101"]
    assert "Werkzeug debugger" in texts["FKS103"]
    assert "import time" in texts["FKS104"]
    assert "0.0.0.0" in texts["FKS105"] or "::" in texts["FKS105"]


def test_stdin_is_linted(tmp_path: Path) -> None:
    result = flake8(
        "--isolated", "--select=FKS", "-",
        stdin="from flask import Flask\nFlask(__name__).run(debug=True)\n", cwd=tmp_path,
    )
    found = {(r.line, r.col, r.code) for r in parse(result.stdout)}
    assert found == {(2, 1, "FKS104"), (2, 21, "FKS101")}, result.stdout + result.stderr
