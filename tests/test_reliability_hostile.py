"""Hostile and broken input: no exception, no FKS000, and bounded time.

The time bound is the issue's: linting a file with the plugin takes at most twice what flake8
without the plugin takes for the same file. Both are measured in this process, warmed up, through
flake8's own ``FileChecker`` (reading, tokenizing, parsing, every installed plugin), once with this
plugin's ``FKS`` entry point removed from the plugin set and once with it. A small absolute
allowance absorbs timer noise on files that take milliseconds.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from flake8.checker import FileChecker
from flake8.options.parse_args import parse_args

from flake8_flask_safety.options import Options
from flake8_flask_safety.plugin import analyse
from flake8_run import flake8, parse

pytestmark = pytest.mark.slow

NOISE_SECONDS = 0.1
FLASK_HEAD = """\
from flask import Flask, render_template, request

app = Flask(__name__)
app.config["SECRET_KEY"] = "5c0ffee5d00dfeedfacade0123456789"
"""


def _checkers(with_plugin: bool, leave_out: tuple[str, ...]):  # type: ignore[no-untyped-def]
    plugins, options = parse_args(["--isolated", "--select=E,F,W,C,FKS"])
    checkers = plugins.checkers
    dropped = set(leave_out) | (set() if with_plugin else {"FKS"})
    return checkers._replace(tree=[p for p in checkers.tree if p.entry_name not in dropped]), options


def _time_run(
    path: Path, with_plugin: bool, repeat: int, leave_out: tuple[str, ...] = ()
) -> tuple[float, list[tuple[str, int, int, str]]]:
    checkers, options = _checkers(with_plugin, leave_out)
    best, results = float("inf"), []
    for _ in range(repeat):
        started = time.perf_counter()
        _, found, _ = FileChecker(filename=str(path), plugins=checkers, options=options).run_checks()
        best = min(best, time.perf_counter() - started)
        results = [(code, line, column, text) for code, line, column, text, _ in found]
    return best, results


def assert_bounded(path: Path, repeat: int = 1, leave_out: tuple[str, ...] = ()) -> list[tuple[str, int, int, str]]:
    """Lint ``path`` with and without the plugin; return the FKS findings.

    ``leave_out`` names flake8 plugins that cannot lint the file themselves (pyflakes and mccabe
    recurse once per nesting level and overflow the stack on expressions thousands deep); they are
    left out of both runs.
    """
    _time_run(Path(__file__), True, 1)  # warm up: astroid and the rule modules are imported
    without, _ = _time_run(path, False, repeat, leave_out)
    with_plugin, found = _time_run(path, True, repeat, leave_out)
    fks = [f for f in found if f[0].startswith("FKS")]
    assert not [f for f in fks if f[0] == "FKS000"], fks
    assert with_plugin <= 2 * without + NOISE_SECONDS, f"{path.name}: {with_plugin:.2f}s with, {without:.2f}s without"
    return fks


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# -- size ----------------------------------------------------------------------------------------
def test_ten_megabyte_file(tmp_path: Path) -> None:
    """A Flask app with embedded assets: 10 MB, most of it in string literals under credential-like
    keys, the shape that makes secret scanners slow."""
    chunk = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkrLw" * 2
    blob = (chunk * (5_000_000 // len(chunk)))[:5_000_000]
    views = "".join(
        f'\n\n@app.route("/page/{n}", methods=["GET", "POST"])\ndef page_{n}():\n'
        f'    return render_template("page.html", q=request.args.get("q"), n={n})\n'
        for n in range(200)
    )
    text = (FLASK_HEAD + views + f'\nASSETS = {{\n    "logo.png": "{blob}",\n    "api_token": "{blob}",\n}}\n'
            + 'app.run(debug=True)\n')
    path = write(tmp_path / "app.py", text)
    assert path.stat().st_size >= 10_000_000
    codes = {f[0] for f in assert_bounded(path)}
    assert {"FKS101", "FKS401"} <= codes


DEEP = {
    "sum": lambda n: " + ".join(["1"] * n),
    "attribute": lambda n: "app" + ".config" * n,
    "unary": lambda n: "-" * n + "1",
    "conditional": lambda n: "1 if DEBUG else " * n + "0",
    "power": lambda n: " ** ".join(["2"] * n),
    "lambda": lambda n: "lambda: " * n + "0",
    "subscript": lambda n: "app.config" + '["k"]' * n,
}


@pytest.mark.parametrize("shape", sorted(DEEP))
def test_expressions_nested_two_hundred_deep(tmp_path: Path, shape: str) -> None:
    """200 levels: about as deep as flake8's own pyflakes and mccabe still get through; the full bound."""
    text = FLASK_HEAD + f"DEBUG = True\nvalue = {DEEP[shape](200)}\napp.run(debug=DEBUG)\n"
    found = assert_bounded(write(tmp_path / "app.py", text), repeat=2)
    assert ("FKS101", 7) in {(f[0], f[1]) for f in found}, "the file is still analysed"


@pytest.mark.parametrize("shape", sorted(DEEP))
def test_expressions_nested_thousands_deep(tmp_path: Path, shape: str) -> None:
    """2,000 levels: flake8 itself cannot lint this (pyflakes and mccabe overflow the stack), so
    there is no "flake8 without the plugin" time to compare with. The plugin still analyses the
    file, raises nothing, and finishes within a few seconds."""
    text = FLASK_HEAD + f"DEBUG = True\nvalue = {DEEP[shape](2000)}\napp.run(debug=DEBUG)\n"
    path = write(tmp_path / "app.py", text)
    _time_run(Path(__file__), True, 1)
    elapsed, found = _time_run(path, True, 1, leave_out=("F", "C90"))
    assert not [f for f in found if f[0] == "FKS000"], found
    assert ("FKS101", 7) in {(f[0], f[1]) for f in found}, "the file is still analysed"
    assert elapsed < 30, elapsed


def test_deep_expression_does_not_change_the_recursion_limit(tmp_path: Path) -> None:
    limit = sys.getrecursionlimit()
    source = FLASK_HEAD + "x = " + " + ".join(["1"] * 5000) + "\napp.run(debug=True)\n"
    codes = {text.split()[0] for _, _, text in analyse(source, str(tmp_path / "app.py"), Options())}
    assert "FKS101" in codes and "FKS000" not in codes
    assert sys.getrecursionlimit() == limit


@pytest.mark.parametrize(
    "literal",
    [
        # A dict is judged once as a whole (a lookup table or not); this shape once took minutes.
        "{" + ", ".join(f'"key_{i}": "value-{i}"' for i in range(100_000)) + "}",
        "{" + ", ".join(str(i) for i in range(100_000)) + "}",
    ],
    ids=["dict", "set"],
)
def test_hundred_thousand_element_literal(tmp_path: Path, literal: str) -> None:
    path = write(tmp_path / "settings.py", FLASK_HEAD + f"TABLE = {literal}\napp.config.update(TABLE)\n")
    assert_bounded(path)


BACKTRACKING = [
    'api_key = "' + "a" * 200_000 + '!"',
    'password = "' + "Aa1" * 70_000 + ' "',
    'token = "' + "ghp_" * 50_000 + '"',
    'url = "postgresql://' + "u:" * 50_000 + '@"',
    'dsn = "mysql://' + ":" * 100_000 + 'x"',
    'SECRET_KEY = "' + "-----BEGIN " * 20_000 + '"',
    'secret = "' + "=" * 100_000 + "x" * 100_000 + '"',
    "password" + "_" * 100_000 + ' = "x"',
    "pass" + "word_pass" * 20_000 + ' = "x"',
    'x = "' + 'password = "' * 20_000 + '"',
    'x = {"password' + "_" * 100_000 + '": "abc"}',
    'os.getenv("PASSWORD' + "D" * 100_000 + '", "x")',
    'AKIA = "' + "AKIA" * 50_000 + '"',
    'token = "sk-ant-api03-' + "A" * 100_000 + '!"',
]


@pytest.mark.parametrize("line", BACKTRACKING, ids=[f"shape{i}" for i in range(len(BACKTRACKING))])
def test_strings_shaped_to_make_credential_patterns_backtrack(tmp_path: Path, line: str) -> None:
    path = write(tmp_path / "config.py", "import os\n\n" + FLASK_HEAD + line + "\n")
    assert_bounded(path, repeat=2)


# -- broken input --------------------------------------------------------------------------------
BROKEN: dict[str, bytes] = {
    "syntax_error": (FLASK_HEAD + "def view(:\n    return 1\napp.run(debug=True)\n").encode(),
    "unterminated": (FLASK_HEAD + 'x = """never closed\napp.run(debug=True)\n').encode(),
    "indentation": (FLASK_HEAD + "if True:\nreturn\n  app.run(debug=True)\n").encode(),
    "python2": (FLASK_HEAD + 'print "hello"\nexec "app.run(debug=True)"\n').encode(),
    "undecodable": FLASK_HEAD.encode() + b'PASSWORD = "\xff\xfe\xc3\x28"\napp.run(debug=True)\n',
    "bad_coding_cookie": b"# -*- coding: klingon -*-\n" + FLASK_HEAD.encode() + b"app.run(debug=True)\n",
    "latin1_cookie": b"# -*- coding: latin-1 -*-\n" + FLASK_HEAD.encode() + b'name = "caf\xe9"\n',
    "nul_bytes": FLASK_HEAD.encode() + b'SECRET_KEY = "ab\x00cd"\n\x00\napp.run(debug=True)\n',
    "utf16_bom": "\ufeffapp = 1\n".encode("utf-16"),
    "only_nul": b"\x00" * 1000,
    "lone_surrogate": FLASK_HEAD.encode() + b'token = "\xed\xa0\x80abcdef"\n',
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_files_through_flake8(tmp_path: Path, name: str) -> None:
    path = write(tmp_path / f"{name}.py", BROKEN[name])
    result = flake8("--isolated", "--select=E9,FKS", path.name, cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert "FKS000" not in result.stdout, result.stdout
    assert_bounded(path, repeat=2)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_text_given_to_the_plugin_directly(tmp_path: Path, name: str) -> None:
    """flake8 usually stops before the plugin runs; the plugin copes when it does not."""
    for text in (BROKEN[name].decode("latin-1"), BROKEN[name].decode("utf-8", "surrogateescape")):
        found = list(analyse(text, str(tmp_path / f"{name}.py"), Options()))
        assert not [f for f in found if "FKS000" in f[2]], found


# -- templates -----------------------------------------------------------------------------------
AUDIT_OPENS = """\
import json
import os
import sys

opened = []
recording = True


def audit(event, args):
    if not recording:
        return
    if event == "open" and isinstance(args[0], (str, bytes)):
        opened.append(os.fsdecode(args[0]))
    elif event in ("os.listdir", "os.scandir") and args and isinstance(args[0], (str, bytes)):
        opened.append(os.fsdecode(args[0]))


sys.addaudithook(audit)
import flake8.main.cli  # noqa: E402

try:
    code = flake8.main.cli.main(sys.argv[2:])
except SystemExit as stop:
    code = stop.code
recording = False
with open(sys.argv[1], "w") as log:
    json.dump({"code": code, "opened": opened}, log)
"""

TEMPLATE_APP = """\
from flask import Flask, render_template, render_template_string

app = Flask(__name__)
app.config["SECRET_KEY"] = "0123456789abcdef0123456789abcdef"


@app.route("/a")
def a():
    return render_template("../../../etc/passwd")


@app.route("/b")
def b():
    return render_template("/etc/passwd", user="x")


@app.route("/c")
def c():
    return render_template("{outside}")


@app.route("/d")
def d():
    return render_template(["broken.html", "self.html", "extends_self.html", "cycle_a.html"])


@app.route("/e")
def e():
    return render_template("link_out.html"), render_template("../bait.html"), render_template("..\\\\bait.html")


@app.route("/f")
def f():
    return render_template_string("{{% include '../bait.html' %}}{{% extends '/etc/passwd' %}}")
"""

TEMPLATES = {
    "broken.html": "{% if %}{{ user.name }{% endfor %}{% block %}",
    "self.html": "{% include 'self.html' %}{{ request.args.q | safe }}",
    "extends_self.html": "{% extends 'extends_self.html' %}{% block body %}{{ x|safe }}{% endblock %}",
    "cycle_a.html": "{% include 'cycle_b.html' %}",
    "cycle_b.html": "{% extends 'cycle_a.html' %}{% import 'cycle_a.html' as a %}",
    "escape.html": "{% include '../../bait.html' %}{% include '/etc/passwd' %}{% extends '../bait.html' %}",
}


def test_templates_never_lead_outside_the_project(tmp_path: Path) -> None:
    outer = tmp_path / "outer"
    project = outer / "project"
    bait = write(outer / "bait.html", "{{ secret|safe }}")
    write(outer / "etc" / "passwd", "root:x:0:0")
    outside = write(tmp_path / "elsewhere" / "page.html", "{{ x|safe }}")
    write(project / "app.py", TEMPLATE_APP.format(outside=outside))
    write(project / "pkg" / "__init__.py", "")
    write(project / "pkg" / "views.py", "from app import app\nfrom flask import render_template\n\n\n"
          "def v():\n    return render_template('../../bait.html')\n")
    for name, text in TEMPLATES.items():
        write(project / "templates" / name, text)
    (project / "templates" / "link_out.html").symlink_to(bait)
    (project / "templates" / "dir_out").symlink_to(outer, target_is_directory=True)

    harness = tmp_path / "harness"  # the wrapper's own directory is on sys.path: Python lists it
    wrapper, log = write(harness / "audit_opens.py", AUDIT_OPENS), harness / "opened.json"
    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, str(wrapper), str(log), "--isolated", "--select=FKS", "-j1", "."],
        cwd=project, capture_output=True, text=True, timeout=300,
    )
    elapsed = time.perf_counter() - started
    assert "Traceback" not in run.stderr, run.stderr
    import json

    record = json.loads(log.read_text(encoding="utf-8"))
    assert record["code"] in (0, 1), run.stderr
    assert "FKS000" not in run.stdout
    assert {f.code for f in parse(run.stdout)} >= {"FKS401"}, run.stdout

    python_roots = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    python_roots |= {os.path.realpath(p) for p in sys.path if p and os.path.isdir(p)}
    python_roots.add(os.path.realpath(harness))
    project_root = os.path.realpath(project)
    seen = {os.path.realpath(os.path.join(project, name)) for name in record["opened"]}
    assert os.path.realpath(project / "app.py") in seen, "the audit hook saw flake8 read the linted file"
    strays = []
    for name in record["opened"]:
        real = os.path.realpath(os.path.join(project, name))
        inside = real == project_root or real.startswith(project_root + os.sep)
        if inside:
            continue
        if any(real == root or real.startswith(root + os.sep) for root in python_roots):
            continue
        if real.startswith(("/dev/", "/proc/", "/sys/")):
            continue
        strays.append(name)
    assert strays == [], "read outside the linted project"
    assert elapsed < 120


# -- cross-module resolution ------------------------------------------------------------------
def test_import_cycles_between_project_modules(tmp_path: Path) -> None:
    project = tmp_path / "cyclic"
    write(project / "pkg" / "__init__.py", "from .a import app\nfrom .b import *\n")
    write(project / "pkg" / "a.py", "from .b import app, create_app\nfrom pkg.c import *\napp.run(debug=True)\n")
    write(project / "pkg" / "b.py", "from .c import app\nfrom . import a\nfrom pkg import app as create_app\n")
    write(project / "pkg" / "c.py", "from .a import app\nfrom pkg.b import *\nimport pkg.c\nfrom .c import app\n")
    write(project / "run.py", "from pkg import app\nfrom pkg.a import create_app\napp.run(debug=True)\n"
          "create_app().run(debug=True)\n")
    for path in sorted(project.rglob("*.py")):
        assert_bounded(path, repeat=1)
    findings = flake8("--isolated", "--select=FKS", "-j1", ".", cwd=project)
    assert "Traceback" not in findings.stderr and "FKS000" not in findings.stdout


def test_a_module_importing_thousands_of_project_modules(tmp_path: Path) -> None:
    project = tmp_path / "wide"
    count = 3000
    for number in range(count):
        write(project / "mods" / f"m{number}.py",
              f"from flask import Flask\n\napp = Flask(__name__)\nSECRET_{number} = 'x'\n"
              f"from mods.m{(number + 1) % count} import app as next_app\n")
    write(project / "mods" / "__init__.py", "")
    imports = "".join(f"from mods.m{n} import app as app{n}\n" for n in range(count))
    runs = "".join(f"app{n}.run(debug=True)\n" for n in range(0, count, 7))
    main = write(project / "main.py", imports + runs)
    found = assert_bounded(main, repeat=3)  # best of three: one run is at the mercy of load
    assert any(f[0] == "FKS101" for f in found)
