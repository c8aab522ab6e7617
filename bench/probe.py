"""Time the plugin alone on each file, inside one process, with flake8's startup left out.

    python bench/probe.py [--repeats N] FILE...

Prints JSON: for each file its lines and the best (lowest) CPU seconds of N runs of
``FlaskSafetyChecker(tree, lines, filename).run()``, after one warm-up run on the same file.
"""

from __future__ import annotations

import argparse
import ast
import json
import time

from flake8_flask_safety.plugin import FlaskSafetyChecker


def time_file(path: str, repeats: int) -> dict[str, object]:
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    lines = source.splitlines(keepends=True)
    tree = ast.parse(source)
    findings = len(list(FlaskSafetyChecker(tree, lines, path).run()))
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        list(FlaskSafetyChecker(tree, lines, path).run())
        best = min(best, time.process_time() - started)
    return {"path": path, "lines": len(lines), "seconds": best, "findings": findings}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    print(json.dumps([time_file(path, args.repeats) for path in args.files], indent=1))


if __name__ == "__main__":
    main()
