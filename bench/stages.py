"""Where the plugin's time goes on a code base: pre-check, tree building and each rule family.

    python bench/stages.py [--runs N] PATH

Each run is a fresh process that goes once over every ``.py`` file under PATH, from PATH as the
working directory with relative paths, as ``flake8 .`` does: the pre-check, then for each file
that passes it the astroid tree and model (``build``, the project modules an import leads to
included when the model first asks for them), then each rule family in flake8's order, with the
garbage collector paused as the plugin pauses it. Caches start empty, as in a flake8 run. Prints
the median milliseconds of each stage over the runs.

To compare two checkouts, run it with ``PYTHONPATH`` set to each in turn. The figures leave out
what only a flake8 run has (flake8's own work between files, startup, the collector's passes
between files), so they are lower than the extra time ``bench/run.py`` measures.
"""

from __future__ import annotations

import argparse
import ast
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path


def one_run(root: str) -> dict[str, float]:
    from flake8_flask_safety.options import DEFAULT_OFF_CODES, Options
    from flake8_flask_safety.plugin import _load_once, is_relevant

    os.chdir(root)
    options = Options(off_codes=frozenset(DEFAULT_OFF_CODES))  # flake8's default selection
    paths = sorted(str(Path(".") / path) for path in Path(".").rglob("*.py"))
    sources = []
    for path in paths:
        try:
            sources.append((path, Path(path).read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError):
            continue
    spent: Counter[str] = Counter()
    started = time.perf_counter()
    relevant = [(path, source) for path, source in sources if is_relevant(source, options, path)]
    spent["pre-check"] = time.perf_counter() - started
    started = time.perf_counter()
    _load_once()  # astroid, the model and the rule families
    from flake8_flask_safety.model import FlaskFile
    from flake8_flask_safety.rules import families

    checks = families()
    spent["import"] = time.perf_counter() - started
    for path, source in relevant:
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            continue
        gc.disable()
        try:
            started = time.perf_counter()
            file = FlaskFile.linted(source, path, tree)
            spent["build"] += time.perf_counter() - started
            for family in checks:
                if not family.runs_under(options):
                    continue
                started = time.perf_counter()
                list(family.check(file, options))
                spent[family.name] += time.perf_counter() - started
            started = time.perf_counter()
            file.release()
            spent["release"] += time.perf_counter() - started
        finally:
            gc.enable()
    spent["files"] = len(sources)
    spent["analysed"] = len(relevant)
    return dict(spent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh processes (default 3)")
    parser.add_argument("--one-run", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("path")
    args = parser.parse_args()
    root = os.path.abspath(args.path)
    if args.one_run:
        print(json.dumps(one_run(root)))
        return
    runs = [
        json.loads(subprocess.run(
            [sys.executable, __file__, "--one-run", root], check=True, capture_output=True, text=True
        ).stdout)
        for _ in range(args.runs)
    ]
    print(f"{runs[0]['files']:.0f} files, {runs[0]['analysed']:.0f} past the pre-check; "
          f"median ms of {args.runs} fresh processes")
    total = 0.0
    for stage in runs[0]:
        if stage in ("files", "analysed"):
            continue
        median = statistics.median(run.get(stage, 0.0) for run in runs) * 1000
        total += median
        print(f"  {stage:<14} {median:8.1f}")
    print(f"  {'total':<14} {total:8.1f}")


if __name__ == "__main__":
    main()
