"""Property-based fuzzing: the plugin never raises and never reports FKS000 on valid Python.

Programs come from hypothesmith's grammar-based generator. They are linted bare, and salted:
spliced together with Flask imports, apps, blueprints, routes, config writes, ``app.run(...)``,
``render_template`` and ``request`` reads, with expressions cut out of the generated program
placed where the Flask model reads values (route rules, ``methods=``, ``debug=``, config values),
the generated code wrapped in a view function, and an app imported from a generated project
module. Every program goes through the checker in-process (fast) exactly as flake8 calls it.

Each test draws ``FKS_FUZZ_EXAMPLES`` programs (default 1000; at least 2,000 in all). The runs are
derandomized, so CI sees the same programs every time and a failure reproduces.
"""

from __future__ import annotations

import ast
import itertools
import os
import textwrap
import warnings
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from flake8_flask_safety.options import Options
from flake8_flask_safety.plugin import FlaskSafetyChecker, analyse

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("FKS_FUZZ_EXAMPLES", "1000"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=(Phase.explicit, Phase.generate, Phase.shrink),
    suppress_health_check=list(HealthCheck),
)
PROGRAMS = hypothesmith.from_grammar()
_COUNTER = itertools.count()

FLASK_HEADER = """\
import flask as fl
from flask import Blueprint, Flask, render_template, render_template_string, request
from flask import current_app as capp
from flask.views import MethodView
"""

# Snippets with ``{e}`` take an expression cut out of the generated program.
SNIPPETS = (
    "app = Flask(__name__)\n",
    "app = fl.Flask(__name__, template_folder=({e}))\n",
    "bp = Blueprint('bp', __name__, url_prefix=({e}))\n",
    "app.config['SECRET_KEY'] = ({e})\n",
    "app.config['SECRET_KEY'] = '9f2c1e7b4d8a6f30c5e1b2d7a9f4c8e6'\n",
    "app.secret_key = ({e})\n",
    "app.config.update(DEBUG=({e}), SECRET_KEY=({e}))\n",
    "app.config.from_mapping({{'DEBUG': ({e}), 'SQLALCHEMY_DATABASE_URI': 'postgresql://u:pw1234@db/x'}})\n",
    "app.config[({e})] = ({e})\n",
    "app.debug = ({e})\n",
    "class Config(object):\n    DEBUG = ({e})\n    SECRET_KEY = ({e})\n    PASSWORD = 'hunter2-but-longer'\n",
    "class ProductionConfig(Config):\n    TESTING = ({e})\n",
    "@app.route(({e}), methods=({e}))\ndef view_{n}():\n    return render_template(({e}), q=request.form[({e})])\n",
    "@app.route('/u/<int:uid>', methods=['GET', 'POST'])\n@bp.post(({e}))\n"
    "def stacked_{n}(uid):\n    return render_template_string(request.args.get('t', ({e})))\n",
    "app.add_url_rule(({e}), view_func=({e}), methods=({e}))\n",
    "class Items(MethodView):\n    methods = ({e})\n\n    def get(self):\n        return ({e})\n",
    "app.add_url_rule('/items', view_func=Items.as_view(({e})))\n",
    "def create_app(config=({e})):\n    app = fl.Flask(__name__)\n    app.config.from_object(config)\n"
    "    app.register_blueprint(bp)\n    return app\n",
    "app.run(debug=({e}), host=({e}))\n",
    "app.run(host='0.0.0.0', port=5000, debug=True, use_reloader=({e}))\n",
    "if __name__ == '__main__':\n    create_app().run(debug=({e}))\n",
    "capp.config['DEBUG'] = ({e})\n",
    "token = request.headers.get(({e}))\n",
    "api_key = ({e})\n",
)
FILE_NAMES = ("app.py", "config.py", "settings.py", "wsgi.py", "views.py", "tests/test_app.py", "__init__.py")


def check_in_process(source: str, path: str) -> None:
    """Lint ``source`` as flake8 would, plus the model without the text pre-check."""
    lines = source.splitlines(keepends=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # generated code trips SyntaxWarnings
        tree = ast.parse(source)
    through_flake8 = list(FlaskSafetyChecker(tree, lines, path).run())
    direct = list(analyse(source, path, Options()))
    for line, column, text, *_ in through_flake8 + direct:
        assert not text.startswith("FKS000"), text
        assert 1 <= line <= max(len(lines), 1) and column >= 0, (line, column, text)
    assert {r[:3] for r in through_flake8} <= set(direct)


def expressions_in(program: str) -> list[str]:
    """Source of the expressions in ``program`` that can stand alone inside parentheses."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = ast.parse(program)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.expr) and not isinstance(node, (ast.Starred, ast.Yield, ast.YieldFrom, ast.Await)):
            segment = ast.get_source_segment(program, node)
            if segment and len(segment) < 2000:
                found.append(segment)
    return found or ["None"]


def parses(source: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return False
    return True


def salt(program: str, picks: list[tuple[int, list[int]]], wrap: bool) -> str:
    """``program`` spliced with Flask snippets whose holes hold the program's own expressions."""
    expressions = expressions_in(program)
    parts = [FLASK_HEADER]
    body = program if program.endswith("\n") else program + "\n"
    if wrap:
        wrapped = "@app.route('/generated')\ndef generated():\n" + textwrap.indent(body, "    ") + "    pass\n"
        if parses(FLASK_HEADER + wrapped):
            body = wrapped
    for number, (snippet, holes) in enumerate(picks):
        template = SNIPPETS[snippet % len(SNIPPETS)]
        fills = iter(holes or [0])
        pieces = template.format(e="\0", n=number).split("\0")
        text = pieces[0] + "".join(
            expressions[next(fills, 0) % len(expressions)] + piece for piece in pieces[1:]
        )
        if not parses(text):  # an expression that cannot stand there (e.g. a walrus in a default)
            text = template.format(e="None", n=number)
        parts.append(text)
        if number == len(picks) // 2:
            parts.append(body)
    if body not in parts:
        parts.append(body)
    return "\n".join(parts)


SNIPPET_PICKS = st.lists(
    st.tuples(st.integers(0, len(SNIPPETS) - 1), st.lists(st.integers(0, 1000), max_size=4)),
    min_size=1,
    max_size=8,
)


@pytest.fixture(scope="module")
def project_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@FUZZ
@given(program=PROGRAMS, name=st.sampled_from(FILE_NAMES))
def test_generated_programs(project_root: Path, program: str, name: str) -> None:
    check_in_process(program, str(project_root / name))


@FUZZ
@given(program=PROGRAMS, picks=SNIPPET_PICKS, wrap=st.booleans(), name=st.sampled_from(FILE_NAMES),
       imported=st.booleans())
def test_programs_salted_with_flask(
    project_root: Path, program: str, picks: list[tuple[int, list[int]]], wrap: bool, name: str, imported: bool
) -> None:
    salted = salt(program, picks, wrap)
    assert parses(salted), salted
    directory = project_root / f"p{next(_COUNTER)}"
    if imported:
        # The salted program is a project module; the linted file resolves its app through it.
        (directory / "pkg").mkdir(parents=True)
        (directory / "pkg" / "__init__.py").write_text("", encoding="utf-8")
        (directory / "pkg" / "core.py").write_text(salted, encoding="utf-8")
        importer = (
            "from pkg.core import app, bp, create_app, Config\n"
            "from .core import *\n"
            "app.run(debug=True)\n"
            "create_app().run(host='0.0.0.0')\n"
            "app.config['SECRET_KEY'] = Config.SECRET_KEY\n"
        )
        check_in_process(importer, str(directory / "pkg" / "wsgi.py"))
        check_in_process(importer, str(directory / "run.py"))
    check_in_process(salted, str(directory / name))


def test_salting_reaches_the_flask_model(project_root: Path) -> None:
    """The salted shapes are ones the model understands: a fixed salted program has findings."""
    program = "x = 1\n"
    picks = [(SNIPPETS.index("app = Flask(__name__)\n"), []),
             (SNIPPETS.index("app.run(host='0.0.0.0', port=5000, debug=True, use_reloader=({e}))\n"), [])]
    salted = salt(program, picks, wrap=True)
    codes = {text.split()[0] for _, _, text in analyse(salted, str(project_root / "app.py"), Options())}
    assert "FKS101" in codes, salted
