"""Same answer everywhere: the complete finding lists of the fixture projects and the example app
are identical whatever the environment, the job count, the multiprocessing start method, the
input channel (file or stdin), or how many times flake8 already ran in the process."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_run import FIXTURES, flake8, parse

pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CORPORA = {"fixtures": FIXTURES, "examples": EXAMPLES}
BASE = ("--isolated", "--select=FKS")

Finding = tuple[str, int, int, str, str]


def findings(output: str) -> list[Finding]:
    return sorted(
        (Path(f.path).as_posix().removeprefix("./"), f.line, f.col, f.code, f.text) for f in parse(output)
    )


def run(*args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str | None = None) -> list[Finding]:
    result = flake8(*BASE, *args, cwd=cwd, env=env, stdin=stdin)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return findings(result.stdout)


@functools.lru_cache(maxsize=None)
def baseline(corpus: str) -> tuple[Finding, ...]:
    found = run("-j1", ".", cwd=CORPORA[corpus])
    assert len(found) >= 10, "the corpus must produce findings to compare"
    assert not [f for f in found if f[3] == "FKS000"]
    return tuple(found)


@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_four_jobs_equal_one(corpus: str) -> None:
    assert run("-j4", ".", cwd=CORPORA[corpus]) == list(baseline(corpus))


START_METHOD = """\
import multiprocessing
import sys

import flake8.main.cli

if __name__ == "__main__":
    multiprocessing.set_start_method(sys.argv[1], force=True)
    sys.exit(flake8.main.cli.main(sys.argv[2:]))
"""


@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_multiprocessing_start_methods(tmp_path: Path, corpus: str, method: str) -> None:
    if method not in __import__("multiprocessing").get_all_start_methods():
        pytest.skip(f"{method} is not available on this platform")
    wrapper = tmp_path / "start_method.py"
    wrapper.write_text(START_METHOD, encoding="utf-8")
    result = subprocess.run([sys.executable, str(wrapper), method, *BASE, "-j4", "."], cwd=CORPORA[corpus],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr, result.stderr
    assert findings(result.stdout) == list(baseline(corpus))


# -- with and without Flask, Werkzeug, Jinja2 and MarkupSafe ----------------------------------------
DECOY = """\
import os

with open(os.path.join(os.environ["FKS_DECOY_MARKERS"], __name__), "w") as marker:
    marker.write("imported")


class Flask:
    def __init__(self, *args, **kwargs):
        self.config = {{}}

    def run(self, *args, **kwargs):
        raise SystemExit("the linted app was run")


Blueprint = Flask
request = None
{extra}
"""
BLOCKER = 'raise ImportError("{name} is not installed in this environment")\n'
PACKAGES = ("flask", "werkzeug", "jinja2", "markupsafe")


def _environment(tmp_path: Path, kind: str) -> dict[str, str]:
    shadow = tmp_path / kind
    for name in PACKAGES:
        (shadow / name).mkdir(parents=True)
        text = DECOY.format(extra="") if kind == "decoys" else BLOCKER.format(name=name)
        (shadow / name / "__init__.py").write_text(text, encoding="utf-8")
    return {**os.environ, "PYTHONPATH": str(shadow), "FKS_DECOY_MARKERS": str(tmp_path / "markers")}


def _importable(env: dict[str, str] | None) -> dict[str, bool]:
    probe = (
        "import importlib, json\n"
        "ok = {}\n"
        f"for name in {PACKAGES!r}:\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "        ok[name] = True\n"
        "    except ImportError:\n"
        "        ok[name] = False\n"
        "print(json.dumps(ok))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    return json.loads(result.stdout)


@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_with_and_without_flask_installed(tmp_path: Path, corpus: str) -> None:
    """The environments: as installed (the test extra installs the real Flask stack), importable
    decoy packages that record being imported, and packages whose import fails."""
    (tmp_path / "markers").mkdir()
    decoys, blockers = _environment(tmp_path, "decoys"), _environment(tmp_path, "blockers")
    assert set(_importable(blockers).values()) == {False}
    assert set(_importable(decoys).values()) == {True}
    for marker in (tmp_path / "markers").iterdir():
        marker.unlink()

    results = {
        "installed": list(baseline(corpus)),
        "decoys": run("-j1", ".", cwd=CORPORA[corpus], env=decoys),
        "blocked": run("-j1", ".", cwd=CORPORA[corpus], env=blockers),
    }
    assert results["decoys"] == results["installed"]
    assert results["blocked"] == results["installed"]
    assert sorted(m.name for m in (tmp_path / "markers").iterdir()) == [], "the plugin imported Flask"


def test_the_real_flask_stack_is_installed_for_the_suite() -> None:
    """The suite's environment is the 'with Flask' side of the comparison above."""
    missing = [name for name, ok in _importable(None).items() if not ok]
    if missing:
        pytest.skip(f"not installed here ({', '.join(missing)}); install the test extra to compare")
    assert missing == []


# -- stdin and repeated runs in one process ----------------------------------------------------
IN_ONE_PROCESS = """\
import io
import json
import os
import sys

import flake8.main.cli
from flake8 import utils


def lint(args, stdin=None):
    if stdin is not None:
        utils.stdin_get_value.cache_clear()
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8")
    out = os.path.abspath(".fks-run-output.txt")
    try:
        flake8.main.cli.main(["--isolated", "--select=FKS", "--output-file", out, *args])
    except SystemExit:
        pass
    with open(out, encoding="utf-8") as handle:
        text = handle.read()
    os.remove(out)
    return text


request = json.load(sys.stdin)
outputs = {"first": lint(["-j1", "."]), "again": lint(["-j1", "."]),
           "reversed": lint(["-j1", *reversed(request["files"])])}
outputs["stdin"] = "".join(
    lint([f"--stdin-display-name={name}", "-"], stdin=open(name, encoding="utf-8").read())
    for name in request["files"]
)
outputs["after_stdin"] = lint(["-j2", "."])
json.dump(outputs, sys.__stdout__)
"""


@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_stdin_and_repeated_runs_in_one_process(tmp_path: Path, corpus: str) -> None:
    root = CORPORA[corpus]
    files = sorted("./" + p.relative_to(root).as_posix() for p in root.rglob("*.py"))
    script = tmp_path / "in_one_process.py"
    script.write_text(IN_ONE_PROCESS, encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], cwd=root, input=json.dumps({"files": files}),
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    outputs = json.loads(result.stdout)
    expected = list(baseline(corpus))
    for name, output in outputs.items():
        assert findings(output) == expected, name
