"""The whole standard library of the running Python, tests included, through flake8 with the plugin.

flake8 runs every installed plugin on every file whatever ``--select`` says, and pycodestyle alone
would take minutes over a million lines. The run below goes through flake8's real machinery (file
discovery, its own reading and decoding of each file, the checker's process pool, option parsing,
the reporter) with the plugin set narrowed to this plugin and the reporters, so CI measures and
guards what the plugin does, not what pycodestyle costs.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

STDLIB = Path(sysconfig.get_paths()["stdlib"])

ONLY_THIS_PLUGIN = """\
import sys

from flake8.plugins import finder

_find_plugins = finder.find_plugins


def only_fks(cfg, opts):
    return [p for p in _find_plugins(cfg, opts)
            if p.entry_point.name == "FKS" or p.entry_point.group == "flake8.report"]


finder.find_plugins = only_fks
import flake8.main.cli  # noqa: E402

sys.exit(flake8.main.cli.main(sys.argv[1:]))
"""


def stdlib_files() -> list[Path]:
    found = []
    for directory, subdirectories, files in os.walk(STDLIB):
        subdirectories[:] = [d for d in subdirectories if not d.endswith("-packages") and d != "__pycache__"]
        found += [Path(directory, name) for name in files if name.endswith(".py")]
    return found


def test_the_standard_library_lints_without_a_failure(tmp_path: Path) -> None:
    files = stdlib_files()
    assert len(files) > 500 and any(f.parts[-2] == "test" for f in files), "tests included"
    wrapper = tmp_path / "only_fks.py"
    wrapper.write_text(ONLY_THIS_PLUGIN, encoding="utf-8")

    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(wrapper), "--isolated", "--select=FKS", "-j2", "--benchmark",
         "--extend-exclude=site-packages,dist-packages", str(STDLIB)],
        capture_output=True, text=True, timeout=1800, cwd=tmp_path,
    )
    elapsed = time.perf_counter() - started

    assert result.returncode in (0, 1), result.stderr[-3000:]
    assert "Traceback" not in result.stderr and "critical error" not in result.stderr, result.stderr[-3000:]
    assert "FKS000" not in result.stdout, [line for line in result.stdout.splitlines() if "FKS000" in line]
    processed = re.search(r"^(\d+)\s+total files processed$", result.stdout, re.M)
    lines = re.search(r"^(\d+)\s+total physical lines processed$", result.stdout, re.M)
    assert processed and lines, result.stdout[-2000:]
    assert int(processed[1]) == len(files), "flake8 skipped files"
    print(f"\nstdlib {STDLIB}: {processed[1]} files, {lines[1]} lines, {elapsed:.1f} s")
