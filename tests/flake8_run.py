"""Run the real flake8 binary (the installed console script's module) and parse its findings."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
_LINE = re.compile(r"^(?P<path>.*?):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) (?P<text>.*)$")
_EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>[A-Z0-9, ]+)")


@dataclass(frozen=True)
class Reported:
    path: str
    line: int
    col: int
    code: str
    text: str


def flake8(*args: str, cwd: str | os.PathLike[str] | None = None, stdin: str | None = None,
           env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m flake8 ARGS`` with isolated config unless the caller passes its own."""
    return subprocess.run(
        [sys.executable, "-m", "flake8", *args],
        cwd=cwd, input=stdin, capture_output=True, text=True, env=env, timeout=600,
    )


def parse(output: str) -> list[Reported]:
    found = []
    for raw in output.splitlines():
        match = _LINE.match(raw)
        if match:
            found.append(Reported(match["path"], int(match["line"]), int(match["col"]),
                                  match["code"], match["text"]))
    return found


def lint(*paths: str | os.PathLike[str], select: str = "FKS", extra: tuple[str, ...] = (),
         cwd: str | os.PathLike[str] | None = None) -> list[Reported]:
    result = flake8("--isolated", f"--select={select}", *extra, *map(str, paths), cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return parse(result.stdout)


def expected(path: Path) -> set[tuple[int, str]]:
    """``(line, code)`` pairs written as ``# expect: FKS101, FKS105`` comments in a fixture."""
    pairs = set()
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _EXPECT.search(text)
        if match:
            for code in match["codes"].replace(",", " ").split():
                pairs.add((number, code))
    return pairs


def write(directory: Path, files: dict[str, str]) -> Path:
    """Write ``{relative path: dedented text}`` under ``directory`` (a throwaway project)."""
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return directory
