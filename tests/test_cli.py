"""``python -m flake8_flask_safety list`` and ``explain``: every code, its default state and its page."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_flask_safety import __version__, cli, options
from flake8_flask_safety.rules import all_messages
from flake8_run import flake8, parse
from test_docs import python_blocks, read_doc, sections, title

ROOT = Path(__file__).resolve().parent.parent
CODES = sorted(all_messages())
_ROW = re.compile(r"^(FKS\d{3})\s+(on|off)\s+(\S.*)$")
_FILE_COMMENT = re.compile(r"^#\s*([\w./-]+\.py)\s*$")


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flake8_flask_safety", *args],
                          capture_output=True, text=True, timeout=120)


def call(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(list(args), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def listed() -> dict[str, tuple[str, str]]:
    status, out, err = call("list")
    assert status == 0 and err == ""
    header, *rows = out.splitlines()
    assert header.split() == ["Code", "Default", "Summary"]
    parsed = [_ROW.match(row) for row in rows]
    assert all(parsed), f"malformed rows: {[r for r, m in zip(rows, parsed) if not m]}"
    return {m[1]: (m[2], m[3]) for m in parsed if m}


# -- list ----------------------------------------------------------------------------------------
def test_list_shows_every_code_once_in_order() -> None:
    status, out, _ = call("list")
    assert status == 0
    shown = [line.split()[0] for line in out.splitlines()[1:]]
    assert shown == CODES


def test_list_summary_is_the_doc_title() -> None:
    for code, (_, summary) in listed().items():
        assert summary == title(read_doc(code))[1], code


def test_list_default_state_is_what_the_modules_declare() -> None:
    declared_off = set()
    for module in cli._rule_modules():
        declared_off |= set(getattr(module, "DEFAULT_OFF", ()))
    states = {code: state for code, (state, _) in listed().items()}
    assert {code for code, state in states.items() if state == "off"} == declared_off
    # flake8 learns the opt-in codes from options.DEFAULT_OFF_CODES (registering options must not
    # import the rules), so that list must say the same.
    assert set(options.DEFAULT_OFF_CODES) == declared_off
    assert states["FKS000"] == "on"


def test_all_codes_is_every_code_the_modules_declare() -> None:
    # The plugin decides what to compute from options.ALL_CODES before any rule module is imported.
    assert sorted(options.ALL_CODES) == sorted(listed())


def test_without_flake8_options_every_code_is_computed() -> None:
    assert options.codes_flake8_drops(object()) == frozenset()
    assert options.Options().computes("FKS304") and not options.Options().computes_nothing


def write_examples(directory: Path) -> dict[str, Path]:
    """Each code's doc Example in its own folder, named as the page says (default ``app.py``)."""
    written = {}
    for code in CODES:
        if code == "FKS000":
            continue
        (example,) = python_blocks(sections(read_doc(code))["Example"])
        match = _FILE_COMMENT.match(example.splitlines()[0])
        path = directory / code / (match[1] if match else "app.py")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(example, encoding="utf-8")
        written[code] = path.relative_to(directory)
    return written


def reported(directory: Path, *args: str) -> dict[str, set[str]]:
    result = flake8("--isolated", "-j1", *args, ".", cwd=directory)
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr, result.stderr
    by_folder: dict[str, set[str]] = {}
    for finding in parse(result.stdout):
        folder = Path(finding.path).parts[0]
        by_folder.setdefault(folder, set()).add(finding.code)
    return by_folder


def test_list_default_state_matches_what_flake8_reports(tmp_path: Path) -> None:
    """An "on" code's example is reported with no selection at all; an "off" one only once selected."""
    write_examples(tmp_path)
    states = {code: state for code, (state, _) in listed().items()}
    by_default = reported(tmp_path)
    for code, state in states.items():
        if code != "FKS000":
            assert (code in by_default.get(code, set())) == (state == "on"), f"{code} is listed as {state}"
    off = sorted(code for code, state in states.items() if state == "off")
    if off:
        selected = reported(tmp_path, f"--extend-select={','.join(off)}")
        assert [code for code in off if code not in selected.get(code, set())] == []


# -- explain -------------------------------------------------------------------------------------
@pytest.mark.parametrize("code", CODES)
def test_explain_prints_the_whole_page(code: str) -> None:
    status, out, err = call("explain", code)
    assert status == 0 and err == ""
    page = read_doc(code)
    page_title, _, body = page.partition("\n")
    assert out.startswith(page_title + "\n\nDefault: ")
    assert out.endswith(body.rstrip("\n") + "\n")
    state = listed()[code][0]
    assert f"Default: {state} " in out.splitlines()[2]


def test_explain_accepts_lower_case_and_several_codes() -> None:
    status, out, _ = call("explain", CODES[-1].lower(), CODES[0])
    assert status == 0
    titles = [line for line in out.splitlines() if re.match(r"^# FKS\d{3}: ", line)]
    assert [t.split(":")[0] for t in titles] == [f"# {CODES[-1]}", f"# {CODES[0]}"]


def test_explain_off_code_says_how_to_enable_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "default_off_codes", lambda: frozenset({"FKS101"}))
    status, out, _ = call("explain", "FKS101")
    assert status == 0
    assert "Default: off (opt-in: enable it with `extend-select = FKS101`" in out
    assert listed()["FKS101"][0] == "off"


@pytest.mark.parametrize("bad, hint", [("FKS999", ""), ("E501", " (codes look like FKS101)"),
                                       ("debug", " (codes look like FKS101)")])
def test_explain_unknown_code_fails_on_stderr(bad: str, hint: str) -> None:
    result = run_cli("explain", bad)
    assert result.returncode == 1
    assert result.stdout == ""
    assert f"error: unknown code {bad!r}{hint}" in result.stderr
    assert "python -m flake8_flask_safety list" in result.stderr


def test_explain_with_one_unknown_code_prints_nothing() -> None:
    status, out, err = call("explain", "FKS101", "FKS998")
    assert (status, out) == (1, "")
    assert "unknown code 'FKS998'" in err and "FKS101" not in err


# -- the command itself --------------------------------------------------------------------------
def test_module_entry_point_runs_list_and_explain() -> None:
    listing = run_cli("list")
    assert listing.returncode == 0 and listing.stderr == ""
    assert [line.split()[0] for line in listing.stdout.splitlines()[1:]] == CODES
    explained = run_cli("explain", "FKS101")
    assert explained.returncode == 0
    assert explained.stdout.startswith("# FKS101: ")


def test_help_names_both_commands() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    assert "list" in result.stdout and "explain" in result.stdout
    assert run_cli("explain", "--help").returncode == 0


def test_no_command_prints_usage_and_fails() -> None:
    result = run_cli()
    assert result.returncode == 2
    assert result.stdout == "" and "usage:" in result.stderr


def test_unknown_command_fails() -> None:
    result = run_cli("show", "FKS101")
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"flake8-flask-safety {__version__}"


# -- the pages ship inside the package -----------------------------------------------------------
def test_pages_are_read_as_package_resources() -> None:
    for code in CODES:
        assert cli.doc_text(code) == read_doc(code)
    assert cli.doc_text("FKS999") is None


def test_pages_are_declared_package_data() -> None:
    """The wheel carries the pages (``.ci/run`` checks the built wheel's ``explain``)."""
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    section = pyproject.split("[tool.setuptools.package-data]", 1)[1].split("\n[", 1)[0]
    assert re.search(r'^flake8_flask_safety = \[.*"docs/\*\.md".*\]$', section, re.M), section
