"""Every fixture under tests/fixtures is linted by real flake8; findings must equal the
``# expect: CODE`` comments, line for line (no comment on a line means nothing may be reported)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flake8_run import FIXTURES, expected, lint

FIXTURE_FILES = sorted(p for p in FIXTURES.rglob("*.py") if p.is_file())


@pytest.fixture(scope="module")
def reported() -> dict[Path, set[tuple[int, str]]]:
    by_file: dict[Path, set[tuple[int, str]]] = {p.resolve(): set() for p in FIXTURE_FILES}
    # Run from inside the fixtures tree, as a user runs flake8 from their project root.
    for finding in lint(".", extra=("-j1",), cwd=FIXTURES):
        by_file.setdefault((FIXTURES / finding.path).resolve(), set()).add((finding.line, finding.code))
    return by_file


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture(path: Path, reported: dict[Path, set[tuple[int, str]]]) -> None:
    want = expected(path)
    got = reported[path.resolve()]
    assert sorted(got - want) == [], "unexpected findings"
    assert sorted(want - got) == [], "expected findings missing"


def test_fixtures_exist() -> None:
    assert len(FIXTURE_FILES) > 0
