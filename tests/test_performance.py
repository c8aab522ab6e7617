"""What keeps the plugin cheap: the pre-check, astroid without its builtins bootstrap, the GC pause."""

from __future__ import annotations

import ast
import gc
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flake8_flask_safety.model import FlaskFile
from flake8_flask_safety.options import Options
from flake8_flask_safety import plugin as plugin_module
from flake8_flask_safety.plugin import INERT_EXTENSIONS, FlaskSafetyChecker, is_relevant, top_level_alternatives
from flake8_flask_safety.rules.credentials import is_credential_name

ROOT = Path(__file__).resolve().parent.parent


def test_linting_never_bootstraps_astroid_builtins() -> None:
    script = textwrap.dedent(
        """
        import sys
        from flake8.main.cli import main
        from astroid import raw_building
        try:
            main(["--isolated", "--select=FKS", "--exit-zero", "-j1", "examples", "tests/fixtures"])
        finally:
            print("BOOTSTRAPPED", raw_building.InspectBuilder.bootstrapped, file=sys.stderr)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert "BOOTSTRAPPED False" in result.stderr, result.stderr[-2000:]
    assert "FKS101" in result.stdout


def test_unbound_names_end_in_a_builtins_stand_in() -> None:
    file = FlaskFile.from_source("def f():\n    return dict(), len, NotImplemented, undefined\n", "m.py")
    names = {n.name: n for n in file.index.calls[0].root().nodes_of_class(type(file.index.calls[0].func))}
    found = {name: node.lookup(name) for name, node in names.items()}
    assert {scope.name for scope, _ in found.values()} == {"builtins"}
    assert [type(b).__name__ for b in found["dict"][1]] == ["ClassDef"]
    assert [type(b).__name__ for b in found["len"][1]] == ["FunctionDef"]
    assert found["dict"][1][0].qname() == "builtins.dict"
    assert found["undefined"][1] == []


def test_dunder_name_lookup_keeps_astroids_answer() -> None:
    file = FlaskFile.from_source("if __name__ == '__main__':\n    pass\n", "m.py")
    name = file.module.body[0].test.left
    scope, found = name.lookup("__name__")
    assert scope is file.module
    assert [const.value for const in found] == ["m", "__main__"]


def test_pattern_split_at_outermost_bars_only() -> None:
    assert top_level_alternatives(r"a|b(c|d)|[|]|[]|]|x\|y") == ["a", "b(c|d)", "[|]", "[]|]", r"x\|y"]


def test_pre_check_passes_what_can_produce_findings() -> None:
    options = Options()
    relevant = [
        "from flask import Flask\n",
        "import jinja2\n",
        "from .app import app\napp.run()\n",
        "class Config:\n    DEBUG = True\n",
        "app.debug = True\n",
        "def init(app):\n    app.register_blueprint(bp)\n",
        'DB_PASSWORD = "hunter2"\n',
        'token = os.getenv("API_TOKEN", "abc")\n',
        'KEY = "AKIAABCDEFGHIJKLMNOP"\n',
        'URL = "postgres://user:pw@host/db"\n',
        "from shop import build\n\n\ndef serve():\n    build().run(debug=True)\n",
        "def serve(server):\n    server.run(\n        host='0.0.0.0',\n    )\n",
        'app.config["DEBUG"] = True\n',
        "config.update(DEBUG=True)\n",
        "class Config:\n    DEBUG: bool = True\n",
        "class Config:\n    DEBUG:bool=True\n",
        'settings = {"DEBUG":True}\n',
        'PASSWORD = """hunter2"""\n',
        "HOOK = 'https://hooks.slack.com/services/T0000/B0000/x'\n",
    ]
    for source in relevant:
        assert is_relevant(source, options, "pkg/module.py"), source
    irrelevant = [
        "import asyncio\nasyncio.run(main())\n",
        "import subprocess\nsubprocess.run(['ls'])\n",
        "class T(Thread):\n    def start(self):\n        self.run()\n",
        "def f(debug=False):\n    if debug:\n        log.debug('x')\n",
        "x = 1\n",
        "import logging\nlevel = logging.DEBUG\nSTACK_DEBUG = logging.DEBUG - 1\n",
        "def main():\n    return runner.run(suite)\n",
        "name = f'Task-{n}'\n",
        "self.assertEqual(cm.output, ['DEBUG:foo.bar:2'])\n",
        "with self.assertLogs(level='DEBUG'):\n    pass\n",
        "def login(user, passwd=''):\n    pass\n",
        "message = _ERR_MSG.format(name)\n",
    ]
    for source in irrelevant:
        assert not is_relevant(source, options, "pkg/module.py"), source


INERT_ONLY_MODULES = {
    "forms": (
        '"""Forms for books."""\n\nfrom flask_wtf import FlaskForm\nfrom wtforms import StringField\n\n\n'
        'class BookForm(FlaskForm):\n    title = StringField("Title")\n'
    ),
    "extensions": (
        "from flask_sqlalchemy import SQLAlchemy\nfrom flask_migrate import Migrate\n"
        "from flask_login import LoginManager\n\ndb = SQLAlchemy()\nmigrate = Migrate()\n"
        "login_manager = LoginManager()\n"
    ),
    "models": (
        "from flask_login import UserMixin\nfrom werkzeug.security import generate_password_hash\n\n\n"
        "class User(UserMixin):\n    def set_password(self, password):\n"
        "        self.password_hash = generate_password_hash(password)\n"
    ),
    "requirements-like prose": "# Uses Flask-SQLAlchemy and Flask-WTF.\nimport os\n",
}


@pytest.mark.parametrize("source", INERT_ONLY_MODULES.values(), ids=INERT_ONLY_MODULES.keys())
def test_modules_that_only_name_inert_extensions_skip_astroid(source: str) -> None:
    assert not is_relevant(source, Options(), "shop/forms.py")


INERT_HEADER = "from flask_login import login_required\nfrom flask_wtf import FlaskForm\n\n"


@pytest.mark.parametrize(
    "body",
    [
        "from . import bp\n\n\n@bp.route('/')\n@login_required\ndef index():\n    return 'x'\n",
        "@login_manager.user_loader\ndef load(user_id):\n    return user_id\n",
        "login_manager.user_loader(load)\n",
        "app.add_url_rule('/', view_func=index)\n",
        "app.register_error_handler(404, missing)\n",
        "bp.before_app_request(load_user)\n",
        "class Users(BaseResource):\n    def get(self):\n        return []\n",
        "class Users(\n    AdminView,\n):\n    pass\n",
        "app.secret_key = os.urandom(24)\n",
        "app.jinja_env.autoescape = False\n",
        "app.config.from_object(Settings)\n",
        "babel = Babel(app, locale_selector=pick)\n",
    ],
)
def test_modules_naming_only_inert_extensions_still_pass_when_they_may_register(body: str) -> None:
    assert is_relevant(INERT_HEADER + body, Options(), "shop/views.py")


def test_every_registration_the_model_knows_passes_in_a_module_naming_only_inert_extensions() -> None:
    from flake8_flask_safety.model import handlers, routes

    for word in sorted(handlers._CALL_REGISTRATIONS | {"add_url_rule"}):
        assert is_relevant(f"{INERT_HEADER}owner.{word}(callback)\n", Options(), "shop/views.py"), word
    for word in sorted(routes.ROUTE_DECORATORS):
        source = f"{INERT_HEADER}@owner.{word}('/')\ndef view():\n    pass\n"
        assert is_relevant(source, Options(), "shop/views.py"), word
    for keyword in sorted(handlers._CALLBACK_KEYWORDS):
        assert is_relevant(f"{INERT_HEADER}Ext(app, {keyword}=pick)\n", Options(), "shop/views.py"), keyword
    for suffix in handlers._VIEW_CLASS_SUFFIXES:
        assert is_relevant(f"{INERT_HEADER}class Pages(Base{suffix}):\n    pass\n", Options(), "shop/views.py")


@pytest.mark.parametrize(
    "source",
    [
        "from flask import request\nfrom flask_wtf import FlaskForm\n",
        "import flask_login, flask\n",
        "from flask_restful import Resource\n",  # an extension that provides views
        "from flask_socketio import emit\n",
        "from flask_smorest import Blueprint\n",  # unknown extensions count as Flask
        "from werkzeug.utils import redirect\n",
        "from flask_wtf import FlaskForm\nfrom markupsafe import Markup\n",
        "flask_app = create_app()\n",
    ],
)
def test_any_other_mention_of_the_ecosystem_passes(source: str) -> None:
    assert is_relevant(source, Options(), "shop/views.py")


def test_inert_extensions_are_none_that_the_rules_read() -> None:
    """No qualified name the model or the rules compare with may come from an "inert" extension."""
    package = Path(plugin_module.__file__).parent
    roots = set()
    for path in package.rglob("*.py"):
        roots.update(re.findall(r"[\"'](flask_\w+)\.", path.read_text(encoding="utf-8")))
    assert roots, "the scan found no qualified names"
    assert not {root.removeprefix("flask_") for root in roots} & set(INERT_EXTENSIONS)


CREDENTIAL_NAMES = [
    "password", "PASSWORD", "db_password", "DB_PASSWORD", "dbPassword", "DbPassword", "passwd",
    "admin_pwd", "mail-pass", "passphrase", "secret", "client_secret", "CLIENT_SECRET", "token",
    "auth_token", "GITHUB_TOKEN", "api_key", "apiKey", "APIKEY", "api-key", "access_key",
    "AWS_SECRET_ACCESS_KEY", "private_key", "privateKey", "secret_key", "signing_key",
    "encryption_key", "master_key", "masterKey", "password2", "TOKEN_1", "token_2",
    "auth_key", "authKey", "signing-key", "encryptionKey", "passcode", "private-key", "SECRETKEY", "apikey2",
]
NAMED_STRING_SHAPES = [
    'NAME = "s3cr3t-v4lue"\n',
    'NAME: str = "s3cr3t-v4lue"\n',
    'settings = {"NAME": "s3cr3t-v4lue"}\n',
    "connect(NAME='s3cr3t-v4lue')\n",
    "def connect(NAME='s3cr3t-v4lue'):\n    pass\n",
    'value = os.getenv("NAME", "s3cr3t-v4lue")\n',
    'value = os.environ.get("NAME" , default="s3cr3t-v4lue")\n',
    'value = os.getenv("NAME") or "s3cr3t-v4lue"\n',
]


@pytest.mark.parametrize("name", CREDENTIAL_NAMES)
def test_pre_check_passes_every_credential_name_in_every_shape(name: str) -> None:
    assert is_credential_name(name)
    for shape in NAMED_STRING_SHAPES:
        source = shape.replace("NAME", name)
        assert is_relevant(source, Options(), "pkg/settings.py"), source


@pytest.mark.parametrize(
    "literal",
    ["AKIAABCDEFGHIJKLMNOP", "ASIAABCDEFGHIJKLMNOP", "ABIA0123", "ACCA0123", "AIzaSyA-0123456789", "ghp_0123",
     "gho_0123", "github_pat_0123", "glpat-0123", "xoxb-0123", "sk-proj-0123", "sk-ant-0123", "npm_0123"],
)
def test_pre_check_passes_every_live_credential_prefix(literal: str) -> None:
    assert is_relevant(f"value = {literal!r}\n", Options(), "pkg/module.py")
    assert not is_relevant(f"value = {literal[:2]!r}\n", Options(), "pkg/module.py")


@pytest.mark.parametrize("name", ["token_type", "TOKEN_TYPE", "PASSWORD_HASH_METHOD", "secret_key_file"])
def test_pre_check_skips_names_that_only_start_like_a_credential(name: str) -> None:
    assert not is_credential_name(name)
    for shape in NAMED_STRING_SHAPES:
        source = shape.replace("NAME", name)
        assert not is_relevant(source, Options(), "pkg/settings.py"), source
    assert not is_relevant("parse(token, 'phrase')\n", Options(), "pkg/parser.py")


def test_credential_names_in_test_modules_skip_astroid() -> None:
    options = Options()
    source = 'client.login(username="admin", password="password")\n'
    assert is_relevant(source, options, "pkg/views.py")
    assert not is_relevant(source, options, "tests/test_views.py")
    assert is_relevant('KEY = "AKIAABCDEFGHIJKLMNOP"\n', options, "tests/test_views.py")


def test_extra_credential_names_are_matched_in_any_case() -> None:
    options = Options(extra_credential_names=frozenset({"Bearer"}))
    assert is_relevant('BEARER = "abc"\n', options, "m.py")
    assert not is_relevant('BEARER = "abc"\n', Options(), "m.py")


def _findings(source: str) -> list[tuple[int, int, str, type]]:
    return list(FlaskSafetyChecker(ast.parse(source), source.splitlines(True), "app.py").run())


def test_garbage_collector_is_restored_after_each_file() -> None:
    source = "from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\n"
    assert gc.isenabled()
    assert _findings(source)
    assert gc.isenabled()
    gc.disable()
    try:
        assert _findings(source)
        assert not gc.isenabled()
    finally:
        gc.enable()


def _after_linting(path: Path) -> str:
    script = textwrap.dedent(
        f"""
        import gc, sys
        from flake8.main.cli import main
        try:
            main(["--isolated", "--select=FKS", "--exit-zero", "-j1", {str(path)!r}])
        finally:
            print("FROZEN", gc.get_freeze_count(), "ASTROID", "astroid" in sys.modules, file=sys.stderr)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    return result.stderr


def test_imports_are_frozen_once_a_file_needs_astroid(tmp_path: Path) -> None:
    app = tmp_path / "app.py"
    app.write_text("from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\n")
    report = _after_linting(app)
    frozen = int(report.split("FROZEN ")[1].split()[0])
    assert frozen > 10_000, report  # astroid's and the plugin's modules, skipped by every collection
    assert "ASTROID True" in report


def test_files_that_fail_the_pre_check_import_and_freeze_nothing(tmp_path: Path) -> None:
    plain = tmp_path / "plain.py"
    plain.write_text("import os\n\n\ndef size(path):\n    return os.path.getsize(path)\n")
    report = _after_linting(plain)
    assert "FROZEN 0 ASTROID False" in report, report


def test_a_failure_while_loading_becomes_fks000(monkeypatch: pytest.MonkeyPatch) -> None:
    from flake8_flask_safety import plugin
    from flake8_flask_safety.model import build, flask_file
    from flake8_flask_safety.model.project import ProjectModules

    def broken() -> None:
        raise RuntimeError("astroid cannot start")

    monkeypatch.setattr(plugin, "_LOADED", False)
    monkeypatch.setattr(build, "_rebuilder", broken)
    monkeypatch.setattr(flask_file, "PROJECT", ProjectModules())
    source = "from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\n"
    found = list(plugin.analyse(source, "app.py", Options(), ast.parse(source)))
    assert [text.split()[0] for _, _, text in found] == ["FKS000"]


def test_stages_script_reports_every_stage_and_family() -> None:
    from flake8_flask_safety.rules import families

    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, str(root / "bench" / "stages.py"), "--runs", "1", str(root / "examples")],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    stages = {line.split()[0]: float(line.split()[1]) for line in result.stdout.splitlines()[1:]}
    assert {"pre-check", "import", "build", "release", "total"} <= stages.keys()
    assert {family.name for family in families()} <= stages.keys()
    assert stages["build"] > 0 and stages["total"] >= stages["build"]


@pytest.mark.parametrize("mode, reports", [("--with-plugin", True), ("--without-plugin", False),
                                           ("--without-rules", False)])
def test_benchmark_runner_modes(mode: str, reports: bool) -> None:
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, str(root / "bench" / "flake8_runner.py"), mode, "--isolated", "-j1", "--exit-zero",
         "--select", "FKS,E999", str(root / "examples")],
        capture_output=True, text=True,
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert (" FKS" in result.stdout) is reports


def test_modes_script_reports_each_mode_against_the_first() -> None:
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, str(root / "bench" / "modes.py"), "--reps", "1", str(root / "examples"),
         "--without-plugin", "--without-rules", "--with-plugin:--extend-ignore=FKS"],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    rows = [line.split() for line in result.stdout.splitlines()[1:]]
    assert [row[0] for row in rows] == ["--without-plugin", "--without-rules", "--with-plugin:--extend-ignore=FKS"]
    assert rows[0][3] == "1.000x" and all(float(row[1]) > 0 for row in rows)


def test_modes_script_runs_a_mode_on_another_checkout(tmp_path: Path) -> None:
    """``MODE@CHECKOUT`` puts the checkout first on PYTHONPATH: a checkout whose plugin cannot be
    imported makes that mode's flake8 fail, so the checkout is really used."""
    root = Path(__file__).resolve().parent.parent
    broken = tmp_path / "broken"
    (broken / "flake8_flask_safety").mkdir(parents=True)
    (broken / "flake8_flask_safety" / "__init__.py").write_text("raise ImportError('not this one')\n")

    def modes(*names: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(root / "bench" / "modes.py"), "--reps", "1", str(root / "examples"), *names],
            capture_output=True, text=True,
        )

    assert modes("--without-plugin", f"--with-plugin@{root}").returncode == 0
    failed = modes("--without-plugin", f"--with-plugin@{broken}")
    assert failed.returncode != 0 and "not this one" in failed.stderr


def test_the_start_up_check_of_the_fast_visits_leaves_no_garbage() -> None:
    from flake8_flask_safety.model import build

    gc.collect()
    gc.disable()
    try:
        assert build._fast_visits_agree()
        assert gc.collect() == 0  # both sample trees were freed by reference counting
    finally:
        gc.enable()


_LEAVES_NO_GARBAGE = """
import ast, gc, sys
from pathlib import Path
from flake8_flask_safety.options import Options
from flake8_flask_safety.plugin import _load_once, analyse

_load_once()
left = []
for path in sys.argv[1:]:
    text = Path(path).read_text(encoding="utf-8")
    gc.collect()
    gc.disable()
    list(analyse(text, path, Options(), ast.parse(text)))
    gc.set_debug(gc.DEBUG_SAVEALL)
    if gc.collect():
        left.append((path, sorted({type(o).__name__ for o in gc.garbage})))
    gc.garbage.clear()
    gc.set_debug(0)
    gc.enable()
print(len(sys.argv) - 1, left)
"""


def test_analysing_a_file_leaves_nothing_for_the_garbage_collector(tmp_path: Path) -> None:
    # Every node of a linted tree, also those astroid makes without its visitor (decorator lists,
    # argument names, ``*args``, a class's implicit locals, ``**`` keys), is freed by reference
    # counting once the rules are done: the collector finds nothing to free after each file.
    # In a fresh process, so that no other test's trees are freed meanwhile.
    root = Path(__file__).resolve().parent.parent
    inline = tmp_path / "views.py"
    inline.write_text(textwrap.dedent(
        """
        from flask import Flask
        app = Flask(__name__)

        class Config:
            DEBUG = False

        @app.route("/<int:n>")
        def view(n, *args, **kwargs):
            try:
                return {**kwargs, "n": n}
            except ValueError as error:
                return str(error)
        """
    ))
    samples = [inline, *sorted((root / "tests" / "fixtures").rglob("*.py")), *sorted((root / "examples").rglob("*.py"))]
    result = subprocess.run(
        [sys.executable, "-c", _LEAVES_NO_GARBAGE, *map(str, samples)],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split(" ", 1) == [str(len(samples)), "[]\n"], result.stdout[-2000:]
    assert len(samples) > 100
