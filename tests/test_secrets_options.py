"""FKS4xx through real flake8 runs: the ``--fks-signing-keys`` and ``--fks-credential-names``
options (command line and config file), exact columns, and the test-module exemption."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from flake8_run import Reported, flake8, lint, parse

APP = textwrap.dedent(
    """\
    from flask import Flask

    app = Flask(__name__)
    app.config["TOTP_SIGNER"] = "totp-signing-value"
    app.config.update(PAYLOAD_SIGNER=b"payload-signing-value")
    ADMIN_PIN = "8812"
    door_code = "4417"
    """
)


def _write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _codes(found: list[Reported]) -> list[tuple[int, int, str]]:
    return sorted((f.line, f.col, f.code) for f in found)


def _run_with_config(directory: Path, *paths: str) -> list[Reported]:
    """flake8 without --isolated, so it reads ``directory``'s own config file."""
    result = flake8(*paths, cwd=directory)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return parse(result.stdout)


# -- defaults --------------------------------------------------------------------------
def test_defaults_do_not_know_custom_keys(tmp_path: Path) -> None:
    _write(tmp_path, "app.py", APP)
    assert lint("app.py", cwd=tmp_path) == []


# -- --fks-signing-keys ------------------------------------------------------------------
def test_signing_keys_from_command_line(tmp_path: Path) -> None:
    _write(tmp_path, "app.py", APP)
    found = lint("app.py", cwd=tmp_path, extra=("--fks-signing-keys=totp_signer,PAYLOAD_SIGNER",))
    # Reported at the literal: column is 1-based in flake8's output.
    assert _codes(found) == [(4, 29, "FKS401"), (5, 34, "FKS401")]
    assert "TOTP_SIGNER written into the source" in found[0].text


def test_signing_keys_keep_the_defaults(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "app.py",
        """\
        import os
        from flask import Flask

        app = Flask(__name__)
        app.secret_key = "still-reported"
        app.config["TOTP_SIGNER"] = os.urandom(16)
        """,
    )
    found = lint("app.py", cwd=tmp_path, extra=("--fks-signing-keys", "TOTP_SIGNER"))
    assert _codes(found) == [(5, 18, "FKS401"), (6, 29, "FKS406")]


def test_signing_keys_from_config_file(tmp_path: Path) -> None:
    _write(tmp_path, "app.py", APP)
    _write(
        tmp_path,
        "setup.cfg",
        """\
        [flake8]
        select = FKS
        fks-signing-keys =
            TOTP_SIGNER,
            PAYLOAD_SIGNER
        """,
    )
    found = _run_with_config(tmp_path, "app.py")
    assert _codes(found) == [(4, 29, "FKS401"), (5, 34, "FKS401")]


def test_signing_key_fallback_is_fks405(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "app.py",
        """\
        import os
        from flask import Flask

        app = Flask(__name__)
        app.config["TOTP_SIGNER"] = os.environ.get("TOTP_SIGNER", "dev-signer")
        """,
    )
    assert lint("app.py", cwd=tmp_path) == []
    found = lint("app.py", cwd=tmp_path, extra=("--fks-signing-keys=TOTP_SIGNER",))
    assert _codes(found) == [(5, 59, "FKS405")]


# -- --fks-credential-names --------------------------------------------------------------
def test_credential_names_from_command_line(tmp_path: Path) -> None:
    _write(tmp_path, "app.py", APP)
    found = lint("app.py", cwd=tmp_path, extra=("--fks-credential-names=PIN,code",))
    assert _codes(found) == [(6, 13, "FKS402"), (7, 13, "FKS402")]
    assert "'ADMIN_PIN'" in found[0].text


def test_credential_names_from_config_file(tmp_path: Path) -> None:
    _write(tmp_path, "app.py", APP)
    _write(
        tmp_path,
        ".flake8",
        """\
        [flake8]
        select = FKS
        fks-credential-names = pin
        """,
    )
    found = _run_with_config(tmp_path, "app.py")
    assert _codes(found) == [(6, 13, "FKS402")]


def test_credential_names_drive_environment_fallbacks(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "app.py",
        """\
        import os
        from flask import Flask

        ADMIN_PIN = os.getenv("ADMIN_PIN", "0000")
        """,
    )
    assert lint("app.py", cwd=tmp_path) == []
    found = lint("app.py", cwd=tmp_path, extra=("--fks-credential-names=pin",))
    assert _codes(found) == [(4, 36, "FKS405")]


def test_a_credential_named_through_a_constant_of_the_file(tmp_path: Path) -> None:
    """FKS402 and FKS405 skip files whose text holds no credential word: a name built from a
    constant of the file still has the word in the file's text."""
    _write(
        tmp_path,
        "app.py",
        """\
        import os
        from flask import Flask

        MAIL_SETTING = "MAIL_" + "PASSWORD"
        app = Flask(__name__)
        app.config[MAIL_SETTING] = "x7Rq-mail-relay"
        app.config["RELAY"] = os.getenv(MAIL_SETTING, "x7Rq-mail-relay")
        """,
    )
    assert _codes(lint("app.py", cwd=tmp_path)) == [(6, 28, "FKS402"), (7, 47, "FKS405")]


# -- one code per literal ----------------------------------------------------------------
def test_one_code_per_literal(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "app.py",
        """\
        import os
        from flask import Flask

        app = Flask(__name__)
        app.config["SECRET_KEY"] = "ghp_jIhKtJ0RlgLKOmxgJTeKdNnFRIBXuDL7Dxtp"
        DB_PASSWORD = "postgresql://app:app-pass@db/app"
        SECRET_KEY = os.getenv("SECRET_KEY", "fallback-key")
        """,
    )
    found = lint("app.py", cwd=tmp_path)
    assert _codes(found) == [(5, 28, "FKS404"), (6, 15, "FKS403"), (7, 38, "FKS405")]


# -- test modules --------------------------------------------------------------------------
MISTAKES = """\
    import os
    from flask import Flask

    app = Flask(__name__)
    app.secret_key = "test-key"
    app.config["SECRET_KEY"] = os.urandom(16)
    DATABASE = "postgresql://test:test@localhost/test"
    ADMIN_PASSWORD = "adm1n-pass"
    TOKEN = os.getenv("API_TOKEN", "test-token")
    LEAKED = "AKIAUJZDE8GXD6NCF10E"
    """


@pytest.mark.parametrize(
    "name", ["test_app.py", "app_test.py", "conftest.py", "tests/helpers.py", "pkg/test/factories.py"]
)
def test_test_modules_report_only_live_shapes(tmp_path: Path, name: str) -> None:
    _write(tmp_path, name, MISTAKES)
    found = lint(name, cwd=tmp_path)
    assert _codes(found) == [(10, 10, "FKS404")]


def test_same_mistakes_outside_tests(tmp_path: Path) -> None:
    _write(tmp_path, "app.py", MISTAKES)
    found = lint("app.py", cwd=tmp_path)
    assert [(f.line, f.code) for f in found] == [
        (5, "FKS401"), (6, "FKS406"), (7, "FKS403"), (8, "FKS402"), (9, "FKS405"), (10, "FKS404"),
    ]


# -- files that never import Flask: the text pre-check must let them through ----------------
@pytest.mark.parametrize(
    "source, extra",
    [
        ('import os\nAPI_TOKEN = os.getenv("API_TOKEN") or "tok-dev-1"\n', ()),
        ('from os import getenv\nMAIL_PASSWORD = getenv("MAIL_PASSWORD", default="mail-dev")\n', ()),
        ('MY_SIGNER = "abc-def-123"\n', ("--fks-signing-keys=MY_SIGNER",)),
        ('admin_pin = "8812"\n', ("--fks-credential-names=pin",)),
    ],
)
def test_files_without_flask(tmp_path: Path, source: str, extra: tuple[str, ...]) -> None:
    _write(tmp_path, "settings_local.py", source)
    assert len(lint("settings_local.py", cwd=tmp_path, extra=extra)) == 1
