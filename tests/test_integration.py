"""The plugin as users run it: through the real flake8, its options, config files and noqa comments."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path
from typing import Callable

import pytest

import flake8_flask_safety
from flake8_flask_safety.options import DEFAULT_OFF_CODES
from flake8_flask_safety.rules import all_messages
from flake8_run import Reported, flake8, lint, parse, write

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
IMPLEMENTED = sorted(code for code in all_messages() if code != "FKS000")

# One line with two findings (FKS101 and FKS105) and a line with FKS401.
TWO_ON_ONE_LINE = textwrap.dedent(
    """\
    from flask import Flask

    app = Flask(__name__)
    app.secret_key = "9b1de4c07a3f4e2d8c6b5a4f3e2d1c0b"

    if __name__ == "__main__":
        app.run(host="0.0.0.0", debug=True){noqa}
    """
)
RUN_LINE = 7


def codes_at(found: list[Reported], line: int) -> list[str]:
    return sorted(f.code for f in found if f.line == line)


def fks(found: list[Reported]) -> list[tuple[str, int, int, str]]:
    return sorted((Path(f.path).as_posix(), f.line, f.col, f.code) for f in found if f.code.startswith("FKS"))


def run_ok(*args: str, cwd: Path, stdin: str | None = None, env: dict[str, str] | None = None) -> list[Reported]:
    result = flake8(*args, cwd=cwd, stdin=stdin, env=env)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return parse(result.stdout)


# -- registration ------------------------------------------------------------------------------
def test_entry_point_is_registered() -> None:
    found = [ep for ep in entry_points(group="flake8.extension") if ep.name == "FKS"]
    assert len(found) == 1
    assert found[0].value == "flake8_flask_safety.plugin:FlaskSafetyChecker"
    assert found[0].load().name == "flake8-flask-safety"


def test_version_lists_the_plugin(tmp_path: Path) -> None:
    result = flake8("--version", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"flake8-flask-safety: {flake8_flask_safety.__version__}" in result.stdout


# -- the example app ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def example_findings() -> list[Reported]:
    """Every code on: the default ones, plus the opt-in ones selected by name as users do."""
    opt_in = ("--extend-select=" + ",".join(DEFAULT_OFF_CODES),) if DEFAULT_OFF_CODES else ()
    found = run_ok("--isolated", "-j1", *opt_in, ".", cwd=EXAMPLES)
    return [f for f in found if f.code.startswith("FKS")]


def test_examples_opt_in_codes_are_off_by_default(example_findings: list[Reported]) -> None:
    by_default = [f for f in run_ok("--isolated", "-j1", ".", cwd=EXAMPLES) if f.code.startswith("FKS")]
    assert DEFAULT_OFF_CODES and {f.code for f in example_findings} >= set(DEFAULT_OFF_CODES)
    assert fks(by_default) == fks([f for f in example_findings if f.code not in DEFAULT_OFF_CODES])


def test_examples_trigger_every_implemented_code(example_findings: list[Reported]) -> None:
    assert IMPLEMENTED, "no codes implemented?"
    reported = {f.code for f in example_findings}
    assert sorted(set(IMPLEMENTED) - reported) == [], "codes the example app does not show"
    assert "FKS000" not in reported


def test_examples_readme_table_matches_findings(example_findings: list[Reported]) -> None:
    rows = re.findall(r"^\| `([^`]+)` \| (\d+) \| (FKS\d{3}) \|", (EXAMPLES / "README.md").read_text(), re.M)
    documented = sorted((path, int(line), code) for path, line, code in rows)
    actual = sorted((Path(f.path).as_posix().removeprefix("./"), f.line, f.code) for f in example_findings)
    assert documented == actual


# -- noqa, select, ignore ----------------------------------------------------------------------
def test_plain_file_reports_both_codes(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": TWO_ON_ONE_LINE.format(noqa="")})
    found = lint("app.py", cwd=tmp_path)
    assert codes_at(found, RUN_LINE) == ["FKS101", "FKS105"]
    assert codes_at(found, 4) == ["FKS401"]


def test_noqa_with_a_code_silences_only_that_code(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": TWO_ON_ONE_LINE.format(noqa="  # noqa: FKS101")})
    found = lint("app.py", cwd=tmp_path)
    assert codes_at(found, RUN_LINE) == ["FKS105"]
    assert codes_at(found, 4) == ["FKS401"]


def test_bare_noqa_silences_the_line(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": TWO_ON_ONE_LINE.format(noqa="  # noqa")})
    found = lint("app.py", cwd=tmp_path)
    assert codes_at(found, RUN_LINE) == []
    assert codes_at(found, 4) == ["FKS401"]


def test_select_one_code(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": TWO_ON_ONE_LINE.format(noqa="")})
    found = run_ok("--isolated", "--select", "FKS101", "app.py", cwd=tmp_path)
    assert [(f.line, f.code) for f in found] == [(RUN_LINE, "FKS101")]


def test_extend_ignore(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": TWO_ON_ONE_LINE.format(noqa="")})
    found = run_ok("--isolated", "--select", "FKS", "--extend-ignore", "FKS105", "app.py", cwd=tmp_path)
    assert sorted(f.code for f in found) == ["FKS101", "FKS401"]


def test_extend_select(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": TWO_ON_ONE_LINE.format(noqa="")})
    without = run_ok("--isolated", "--select", "E", "app.py", cwd=tmp_path)
    assert fks(without) == []
    with_fks = run_ok("--isolated", "--select", "E", "--extend-select", "FKS", "app.py", cwd=tmp_path)
    assert sorted(f.code for f in with_fks if f.code.startswith("FKS")) == ["FKS101", "FKS105", "FKS401"]


def test_reported_by_default(tmp_path: Path) -> None:
    """flake8 enables plugin codes unless ``--select`` narrows the selection."""
    write(tmp_path, {"app.py": TWO_ON_ONE_LINE.format(noqa="")})
    found = run_ok("--isolated", "app.py", cwd=tmp_path)
    assert sorted(f.code for f in found if f.code.startswith("FKS")) == ["FKS101", "FKS105", "FKS401"]


def test_per_file_ignores_from_a_config_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "setup.cfg": """\
                [flake8]
                extend-select = FKS
                per-file-ignores =
                    legacy.py: FKS101,FKS401
                """,
            "legacy.py": TWO_ON_ONE_LINE.format(noqa=""),
            "app.py": TWO_ON_ONE_LINE.format(noqa=""),
        },
    )
    found = run_ok("legacy.py", "app.py", cwd=tmp_path)
    by_file = {name: sorted(f.code for f in found if f.path.endswith(name) and f.code.startswith("FKS"))
               for name in ("legacy.py", "app.py")}
    assert by_file == {"legacy.py": ["FKS105"], "app.py": ["FKS101", "FKS105", "FKS401"]}


# -- the F prefix caveat documented in the README -------------------------------------------------
def test_select_f_also_selects_fks(tmp_path: Path) -> None:
    """flake8 matches codes by prefix, so pyflakes' ``F`` also selects ``FKS``."""
    write(tmp_path, {"app.py": TWO_ON_ONE_LINE.format(noqa="")})
    found = run_ok("--isolated", "--select", "E,F,W", "app.py", cwd=tmp_path)
    assert sorted(f.code for f in found if f.code.startswith("FKS")) == ["FKS101", "FKS105", "FKS401"]


@pytest.mark.parametrize(
    "selection, silenced",
    [("", True), ("select = E,F,W", True), ("extend-ignore = F401", True),
     ("extend-select = FKS", False), ("select = E,F,W,FKS", False)],
)
def test_per_file_ignores_f_also_silences_fks(tmp_path: Path, selection: str, silenced: bool) -> None:
    """``x.py: F`` silences FKS too, unless FKS is selected by name: the longer prefix wins."""
    write(
        tmp_path,
        {
            "setup.cfg": f"""\
                [flake8]
                {selection}
                per-file-ignores =
                    app.py: F
                """,
            "app.py": TWO_ON_ONE_LINE.format(noqa=""),
            "other.py": TWO_ON_ONE_LINE.format(noqa=""),
        },
    )
    found = run_ok("app.py", "other.py", cwd=tmp_path)
    in_app = sorted(f.code for f in found if f.path.endswith("app.py") and f.code.startswith("FKS"))
    assert in_app == ([] if silenced else ["FKS101", "FKS105", "FKS401"])
    assert sorted(f.code for f in found if f.path.endswith("other.py")) == ["FKS101", "FKS105", "FKS401"]


def test_extend_ignore_f_also_silences_fks(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": TWO_ON_ONE_LINE.format(noqa="")})
    found = run_ok("--isolated", "--extend-ignore", "F", "app.py", cwd=tmp_path)
    assert fks(found) == []


# -- codes flake8 drops are never computed -------------------------------------------------------
def _imports_astroid(*args: str, cwd: Path) -> bool:
    """flake8 run with ``-X importtime``: whether the plugin got as far as importing astroid."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "flake8", *args],
        cwd=cwd, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode in (0, 1), result.stderr[-2000:]
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    return re.search(r"\|\s+astroid$", result.stderr, re.M) is not None


@pytest.mark.parametrize(
    "selection, reads",
    [(("--select", "E,W"), False), (("--extend-ignore", "FKS"), False), (("--ignore", "F,E,W"), False),
     (("--select", "E,W,FKS101"), True), (("--select", "E,F,W"), True), ((), True)],
)
def test_no_fks_code_selected_means_no_file_is_analysed(tmp_path: Path, selection: tuple[str, ...],
                                                        reads: bool) -> None:
    write(tmp_path, {"app.py": TWO_ON_ONE_LINE.format(noqa="")})
    assert _imports_astroid("--isolated", *selection, "app.py", cwd=tmp_path) is reads


@pytest.mark.parametrize(
    "selection, kept",
    [
        (("--select", "FKS1"), lambda code: code.startswith("FKS1")),
        (("--select", "FKS4,FKS7"), lambda code: code.startswith(("FKS4", "FKS7"))),
        # ``--select FKS`` names the opt-in codes too; the longer ``FKS50`` then drops FKS501.
        (("--select", "FKS", "--extend-ignore", "FKS4,FKS50"), lambda code: not code.startswith(("FKS4", "FKS50"))),
        (("--select", "FKS304,FKS501"), lambda code: code in ("FKS304", "FKS501")),
        (("--extend-select", "FKS304"), lambda code: code != "FKS501"),
    ],
)
def test_a_narrower_selection_reports_the_same_findings(
    selection: tuple[str, ...], kept: Callable[[str], bool], example_findings: list[Reported]
) -> None:
    """Families whose codes are all off are skipped, and the opt-in codes are computed only when
    on: what is reported is what flake8 keeps of a run that computes every code."""
    found = run_ok("--isolated", "-j1", *selection, ".", cwd=EXAMPLES)
    expected = [f for f in example_findings if kept(f.code)]
    assert expected and fks(found) == fks(expected)


# -- the plugin's own options ------------------------------------------------------------------
OPTIONS_SOURCE = """\
    from flask import Flask

    app = Flask(__name__)
    app.config["MY_SIGNING_SECRET"] = "d1e8a3c5b7f94e2a6c0b8d4f2a6e9c13"
    ADMIN_PIN = "8c1f33a9e2"


    class SandboxConfig:
        DEBUG = True
    """


def test_fks_options_from_a_config_file(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": OPTIONS_SOURCE})
    before = {(f.line, f.code) for f in run_ok("--isolated", "--select", "FKS", "app.py", cwd=tmp_path)}
    assert before == {(4, "FKS402"), (9, "FKS102")}

    write(
        tmp_path,
        {
            "tox.ini": """\
                [flake8]
                select = FKS
                fks-signing-keys = MY_SIGNING_SECRET
                fks-credential-names = pin
                fks-dev-config-names = sandbox
                """,
        },
    )
    after = {(f.line, f.code) for f in run_ok("app.py", cwd=tmp_path)}
    assert after == {(4, "FKS401"), (5, "FKS402")}


def test_fks_options_on_the_command_line(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": OPTIONS_SOURCE})
    found = run_ok(
        "--isolated", "--select", "FKS", "--fks-signing-keys=MY_SIGNING_SECRET", "--fks-credential-names=pin",
        "--fks-dev-config-names=sandbox", "app.py", cwd=tmp_path,
    )
    assert {(f.line, f.code) for f in found} == {(4, "FKS401"), (5, "FKS402")}


# -- stdin, parallelism, environment ------------------------------------------------------------
def test_stdin_matches_the_file(tmp_path: Path) -> None:
    source = TWO_ON_ONE_LINE.format(noqa="")
    write(tmp_path, {"app.py": source})
    from_file = lint("app.py", cwd=tmp_path)
    from_stdin = run_ok("--isolated", "--select", "FKS", "--stdin-display-name", "app.py", "-",
                        cwd=tmp_path, stdin=source)
    assert from_file and fks(from_stdin) == fks(from_file)


def test_examples_over_stdin_match_the_files() -> None:
    from_files = lint(".", extra=("-j1",), cwd=EXAMPLES)
    from_stdin: list[Reported] = []
    for path in sorted(EXAMPLES.rglob("*.py")):
        name = "./" + path.relative_to(EXAMPLES).as_posix()
        from_stdin += run_ok("--isolated", "--select", "FKS", f"--stdin-display-name={name}", "-",
                             cwd=EXAMPLES, stdin=path.read_text(encoding="utf-8"))
    assert fks(from_stdin) == fks(from_files)


def test_linted_file_is_not_read_from_disk(tmp_path: Path) -> None:
    found = run_ok("--isolated", "--select", "FKS", "--stdin-display-name=nonexistent/app.py", "-",
                   cwd=tmp_path, stdin=TWO_ON_ONE_LINE.format(noqa=""))
    assert not (tmp_path / "nonexistent").exists()
    assert {f.path for f in found} == {"nonexistent/app.py"}
    assert sorted(f.code for f in found) == ["FKS101", "FKS105", "FKS401"]


PROJECT = {
    "shop/__init__.py": """\
        from flask import Flask


        def create_app():
            app = Flask(__name__)
            app.config["SECRET_KEY"] = "0f9e8d7c6b5a49382716a5b4c3d2e1f0"
            return app
        """,
    "shop/settings.py": """\
        class Config:
            DEBUG = True
            SQLALCHEMY_DATABASE_URI = "postgresql://app:pr0d-pa55@db:5432/app"
        """,
    "serve.py": """\
        from flask import Flask

        app = Flask(__name__)
        app.run(host="0.0.0.0", debug=True)
        """,
    "wsgi.py": """\
        from shop import create_app

        application = create_app()
        """,
    "plain.py": """\
        def add(a, b):
            return a + b
        """,
}


def test_parallel_equals_serial(tmp_path: Path) -> None:
    write(tmp_path, PROJECT)
    serial = run_ok("--isolated", "--select", "FKS", "-j1", ".", cwd=tmp_path)
    parallel = run_ok("--isolated", "--select", "FKS", "-j2", ".", cwd=tmp_path)
    assert len(fks(serial)) >= 5
    assert fks(parallel) == fks(serial)


SHIM = """\
import os

with open(os.path.join(os.environ["FKS_IMPORT_MARKERS"], __name__), "w") as marker:
    marker.write("imported")
raise ImportError("{name} is not installed here")
"""


def test_results_do_not_depend_on_flask_being_importable(tmp_path: Path) -> None:
    shim, markers, project = tmp_path / "shim", tmp_path / "markers", tmp_path / "project"
    markers.mkdir()
    write(project, PROJECT)
    for name in ("flask", "werkzeug", "jinja2", "markupsafe", "flask_socketio"):
        (shim / name).mkdir(parents=True)
        (shim / name / "__init__.py").write_text(SHIM.format(name=name), encoding="utf-8")

    # The shim really does break those imports in a child Python.
    env = {**os.environ, "PYTHONPATH": str(shim), "FKS_IMPORT_MARKERS": str(markers)}
    probe = subprocess.run([sys.executable, "-c", "import flask"], env=env, capture_output=True, text=True)
    assert probe.returncode != 0 and "flask is not installed here" in probe.stderr
    for marker in markers.iterdir():
        marker.unlink()

    for target, cwd in ((".", project), (".", EXAMPLES)):
        normal = run_ok("--isolated", "--select", "FKS", "-j1", target, cwd=cwd)
        shimmed = run_ok("--isolated", "--select", "FKS", "-j1", target, cwd=cwd, env=env)
        assert normal and fks(shimmed) == fks(normal)
    stdin = run_ok("--isolated", "--select", "FKS", "--stdin-display-name=app.py", "-", cwd=project, env=env,
                   stdin=TWO_ON_ONE_LINE.format(noqa=""))
    assert sorted(f.code for f in stdin) == ["FKS101", "FKS105", "FKS401"]
    assert sorted(m.name for m in markers.iterdir()) == [], "the plugin imported a shimmed module"


# -- FKS000 ------------------------------------------------------------------------------------
BREAK_ONE_FAMILY = """\
import sys

import flake8.main.cli
from flake8_flask_safety.rules import debug

original = debug.check


def broken(file, options):
    if file.path.endswith("broken.py"):
        raise RuntimeError("simulated failure")
    yield from original(file, options)


debug.check = broken
sys.exit(flake8.main.cli.main(sys.argv[1:]))
"""

BREAK_THE_MODEL = """\
import sys

import flake8.main.cli
from flake8_flask_safety.model import FlaskFile

original = FlaskFile.from_source.__func__


def broken(cls, source, path, *args, **kwargs):
    if path.endswith("broken.py"):
        raise RuntimeError("simulated model failure")
    return original(cls, source, path, *args, **kwargs)


FlaskFile.from_source = classmethod(broken)
sys.exit(flake8.main.cli.main(sys.argv[1:]))
"""

FKS000_FILES = {
    "broken.py": """\
        from flask import Flask

        app = Flask(__name__)
        app.config["SECRET_KEY"] = "e3b0c44298fc1c149afbf4c8996fb924"
        app.run(host="0.0.0.0", debug=True)
        """,
    "fine.py": """\
        from flask import Flask

        app = Flask(__name__)
        app.config["SECRET_KEY"] = "e3b0c44298fc1c149afbf4c8996fb924"
        app.run(host="0.0.0.0", debug=True)
        """,
}


def run_patched(script: str, cwd: Path) -> list[Reported]:
    result = subprocess.run(
        [sys.executable, "-c", script, "--isolated", "--select", "FKS", "-j1", "broken.py", "fine.py"],
        cwd=cwd, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return parse(result.stdout)


def test_fks000_when_one_rule_family_fails(tmp_path: Path) -> None:
    write(tmp_path, FKS000_FILES)
    found = run_patched(BREAK_ONE_FAMILY, tmp_path)
    broken = [f for f in found if f.path == "broken.py"]
    internal = [f for f in broken if f.code == "FKS000"]
    assert [(f.line, f.col) for f in internal] == [(1, 1)]
    assert "RuntimeError: simulated failure" in internal[0].text
    # The secrets family still reports on the broken file; the debug family's codes are missing.
    assert sorted(f.code for f in broken) == ["FKS000", "FKS401"]
    # Other files are unaffected.
    assert sorted(f.code for f in found if f.path == "fine.py") == ["FKS101", "FKS104", "FKS105", "FKS401"]


def test_fks000_when_the_model_fails(tmp_path: Path) -> None:
    write(tmp_path, FKS000_FILES)
    found = run_patched(BREAK_THE_MODEL, tmp_path)
    assert [(f.line, f.code) for f in found if f.path == "broken.py"] == [(1, "FKS000")]
    assert sorted(f.code for f in found if f.path == "fine.py") == ["FKS101", "FKS104", "FKS105", "FKS401"]


def test_syntax_errors_are_left_to_flake8(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": "from flask import Flask\napp = Flask(__name__\n"})
    found = run_ok("--isolated", "--select", "E,FKS", "app.py", cwd=tmp_path)
    assert [f.code for f in found] == ["E999"]


# -- regressions -------------------------------------------------------------------------------
def test_run_of_an_app_from_a_project_factory(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "factory.py": """\
                from flask import Flask


                def create_app():
                    return Flask(__name__)
                """,
            "run.py": """\
                from factory import create_app

                app = create_app()
                app.run(host="0.0.0.0", debug=True)
                """,
        },
    )
    # run.py never mentions Flask: the text pre-check must still let it through.
    found = lint("run.py", cwd=tmp_path)
    assert sorted(f.code for f in found) == ["FKS101", "FKS104", "FKS105"]
