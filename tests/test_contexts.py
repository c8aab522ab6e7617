"""FKS304 is opt-in: off by default, on when selected. Plus the list of opt-in codes itself."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from flake8_flask_safety.options import DEFAULT_OFF_CODES
from flake8_flask_safety.rules import _family_modules
from flake8_run import flake8, parse

HELPER = textwrap.dedent(
    """\
    from flask import Flask, request

    app = Flask(__name__)


    def current_page():
        return int(request.args.get("page", 1))


    @app.route("/items")
    def items():
        return str(current_page())
    """
)


def test_default_off_codes_match_the_rule_modules() -> None:
    declared: set[str] = set()
    for module in _family_modules():
        declared |= set(getattr(module, "DEFAULT_OFF", ()))
    assert sorted(DEFAULT_OFF_CODES) == sorted(declared)
    assert "FKS304" in DEFAULT_OFF_CODES


def codes(tmp_path: Path, *args: str, config: str | None = None) -> list[tuple[int, str]]:
    (tmp_path / "app.py").write_text(HELPER, encoding="utf-8")
    if config is not None:
        (tmp_path / "setup.cfg").write_text(textwrap.dedent(config), encoding="utf-8")
    result = flake8(*args, "app.py", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    return sorted((f.line, f.code) for f in parse(result.stdout) if f.code.startswith("FKS"))


def test_fks304_is_off_by_default(tmp_path: Path) -> None:
    assert codes(tmp_path, "--isolated") == []


def test_fks304_is_on_with_extend_select_in_a_config_file(tmp_path: Path) -> None:
    found = codes(tmp_path, config="[flake8]\nextend-select = FKS304\n")
    assert found == [(7, "FKS304")]


def test_fks304_is_off_with_a_config_file_that_does_not_select_it(tmp_path: Path) -> None:
    assert codes(tmp_path, config="[flake8]\nmax-line-length = 120\n") == []


@pytest.mark.parametrize("option", ["--select=FKS", "--extend-select=FKS", "--select=FKS3"])
def test_selecting_a_prefix_by_name_turns_fks304_on(tmp_path: Path, option: str) -> None:
    """flake8's prefix rule: a code selected explicitly beats a default ignore."""
    assert codes(tmp_path, "--isolated", option) == [(7, "FKS304")]


def test_extend_ignore_keeps_fks304_off_under_select_fks(tmp_path: Path) -> None:
    assert codes(tmp_path, "--isolated", "--select=FKS", "--extend-ignore=FKS304") == []


MODEL_SOURCE = textwrap.dedent(
    """\
    import threading
    from functools import wraps

    from celery import shared_task
    from flask import Flask, copy_current_request_context, request

    app = Flask(__name__)


    @app.route("/")
    def index():
        threading.Thread(target=work).start()
        threading.Thread(target=copy_current_request_context(copied)).start()
        return "ok"


    @app.before_request
    def hook():
        pass


    def decorator(view):
        @wraps(view)
        def wrapper():
            return view()

        return wrapper


    def work():
        pass


    def copied():
        pass


    @shared_task
    def job():
        pass


    with app.test_request_context():
        PUSHED = request.path
    AT_IMPORT = request.path
    """
)


def test_handlers_model_roles_offloads_and_contexts() -> None:
    from flake8_flask_safety.model import FlaskFile

    file = FlaskFile.from_source(MODEL_SOURCE, "app.py")
    functions = {f.name: f for f in file.index.functions}
    handlers = file.handlers
    assert handlers.roles(functions["index"]) == {"view"}
    assert handlers.roles(functions["hook"]) == {"hook"}
    assert "wrapper" in handlers.roles(functions["wrapper"])
    assert handlers.roles(functions["work"]) == frozenset()
    work = handlers.offload(functions["work"])
    assert work is not None and work.kind == "background"
    assert handlers.offload(functions["copied"]) is None and handlers.copies_request_context(functions["copied"])
    job = handlers.offload(functions["job"])
    assert job is not None and job.kind == "task"
    uses = {use.node.lineno: use for use in handlers.context_uses}
    assert sorted(uses) == [44, 45] and all(use.name == "request" and use.dereferenced for use in uses.values())
    assert handlers.pushed_context(uses[44].node) == "request"
    assert handlers.pushed_context(uses[45].node) is None
