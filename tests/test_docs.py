"""Every code has a doc page with the required sections, the README lists exactly those codes, and
each page's Example triggers its code while its "Use instead" block stays clean (through real flake8).

A code block is linted as ``app.py`` in an empty directory, unless its first line is a comment that
names a file, e.g. ``# config.py`` or ``# settings/production.py``: then it is written there.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flake8_flask_safety.rules import all_messages
from flake8_run import lint

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "flake8_flask_safety" / "docs"
README = ROOT / "README.md"
CODES = sorted(all_messages())

REQUIRED = ["What it does", "Why is this bad", "Example", "Use instead", "Limits", "References"]
OPTIONAL = {"Options"}
_TITLE = re.compile(r"^# (FKS\d{3}): (\S.*)$")
_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.S | re.M)
_FILE_COMMENT = re.compile(r"^#\s*([\w./-]+\.py)\s*$")
_README_ROW = re.compile(r"^\|\s*\[(FKS\d{3})\]\(([^)]+)\)\s*\|\s*(.*?)\s*\|\s*$", re.M)


def doc_path(code: str) -> Path:
    return DOCS / f"{code}.md"


def read_doc(code: str) -> str:
    path = doc_path(code)
    if not path.is_file():
        pytest.fail(f"{path.relative_to(ROOT)} is missing")
    return path.read_text(encoding="utf-8")


def title(text: str) -> tuple[str, str]:
    first = text.splitlines()[0] if text else ""
    match = _TITLE.match(first)
    assert match, f"first line must be '# FKSnnn: <summary>', got {first!r}"
    return match[1], match[2]


def sections(text: str) -> dict[str, str]:
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return {name.strip(): body for name, body in zip(parts[1::2], parts[2::2])}


def python_blocks(body: str) -> list[str]:
    return _BLOCK.findall(body)


def lint_block(source: str, directory: Path) -> set[str]:
    first = source.splitlines()[0] if source.strip() else ""
    match = _FILE_COMMENT.match(first)
    name = match[1] if match else "app.py"
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")
    return {finding.code for finding in lint(name, cwd=directory)}


def test_codes_are_well_formed() -> None:
    assert CODES and all(re.fullmatch(r"FKS\d{3}", code) for code in CODES)


def test_no_stray_docs() -> None:
    pages = sorted(p.stem for p in DOCS.glob("*.md"))
    assert [page for page in pages if page not in CODES] == []


@pytest.mark.parametrize("code", CODES)
def test_doc_structure(code: str) -> None:
    text = read_doc(code)
    doc_code, summary = title(text)
    assert doc_code == code
    assert not summary.endswith("."), "the title is a one-line summary without a full stop"
    found = list(sections(text))
    assert [s for s in found if s not in OPTIONAL] == REQUIRED, f"sections in order: {REQUIRED}"
    assert set(found) <= set(REQUIRED) | OPTIONAL
    body = sections(text)
    for name in REQUIRED:
        assert body[name].strip(), f"section {name!r} is empty"
    assert len(python_blocks(body["Example"])) == 1, "Example needs exactly one ```python block"
    assert len(python_blocks(body["Use instead"])) == 1, "Use instead needs exactly one ```python block"
    assert re.search(r"\]\(https://", body["References"]), "References should link to documentation"


@pytest.mark.parametrize("code", [c for c in CODES if c != "FKS000"])
def test_example_triggers_the_code(code: str, tmp_path: Path) -> None:
    (example,) = python_blocks(sections(read_doc(code))["Example"])
    assert code in lint_block(example, tmp_path)


@pytest.mark.parametrize("code", CODES)
def test_use_instead_is_clean(code: str, tmp_path: Path) -> None:
    (fixed,) = python_blocks(sections(read_doc(code))["Use instead"])
    assert sorted(lint_block(fixed, tmp_path)) == []


def test_fks000_example_is_clean(tmp_path: Path) -> None:
    """FKS000 comes from a plugin failure, never from code: its example file has no findings."""
    (example,) = python_blocks(sections(read_doc("FKS000"))["Example"])
    assert sorted(lint_block(example, tmp_path)) == []


def test_readme_lists_every_code() -> None:
    rows = _README_ROW.findall(README.read_text(encoding="utf-8"))
    assert [code for code, _, _ in rows] == CODES, "README table: every code once, in order"
    for code, link, summary in rows:
        assert link == f"flake8_flask_safety/docs/{code}.md"
        if doc_path(code).is_file():
            assert summary == title(read_doc(code))[1], f"README summary of {code} differs from its doc title"
        else:
            pytest.fail(f"{doc_path(code).relative_to(ROOT)} is missing")


def test_changelog_lists_every_code() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^- (FKS\d{3})\b", changelog, flags=re.M))
    assert sorted(set(CODES) - listed) == []
