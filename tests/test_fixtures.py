"""Every fixture under tests/fixtures is linted by real flake8; findings must equal the
``# expect: CODE`` comments, line for line (no comment on a line means nothing may be reported)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flake8_run import FIXTURES, expected, lint
from flake8_flask_safety.options import DEFAULT_OFF_CODES

FIXTURE_FILES = sorted(p for p in FIXTURES.rglob("*.py") if p.is_file())
# Opt-in codes are linted as users get them: off everywhere except in the ``*_optin``
# directories, where they are switched on with --extend-select (as a user's configuration would).
OPT_IN_DIRS = sorted(p for p in FIXTURES.glob("*_optin") if p.is_dir())


@pytest.fixture(scope="module")
def reported() -> dict[Path, set[tuple[int, str]]]:
    by_file: dict[Path, set[tuple[int, str]]] = {p.resolve(): set() for p in FIXTURE_FILES}
    # Run from inside the fixtures tree, as a user runs flake8 from their project root.
    off = ",".join(DEFAULT_OFF_CODES)
    excluded = ",".join(str(d) for d in OPT_IN_DIRS)
    general = ("-j1", f"--extend-ignore={off}", f"--extend-exclude={excluded}") if off else ("-j1",)
    runs = [(general, FIXTURES)]
    if off:
        runs.extend((("-j1", f"--extend-select={off}"), directory) for directory in OPT_IN_DIRS)
    for extra, cwd in runs:
        for finding in lint(".", extra=extra, cwd=cwd):
            by_file.setdefault((cwd / finding.path).resolve(), set()).add((finding.line, finding.code))
    return by_file


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture(path: Path, reported: dict[Path, set[tuple[int, str]]]) -> None:
    want = expected(path)
    got = reported[path.resolve()]
    assert sorted(got - want) == [], "unexpected findings"
    assert sorted(want - got) == [], "expected findings missing"


def test_fixtures_exist() -> None:
    assert len(FIXTURE_FILES) > 0
