"""flake8 on one code base in several modes of ``flake8_runner.py``, alternating, with ratios.

    python bench/modes.py [--reps N] PATH MODE...

A MODE is a ``flake8_runner.py`` mode, optionally followed by flake8 arguments after colons:
``--without-plugin``, ``--without-rules``, ``--with-plugin``, ``--with-plugin:--extend-ignore=FKS``,
and optionally by ``@CHECKOUT``: a directory put first on ``PYTHONPATH`` for that mode, so that
two commits of the plugin (``git worktree add /tmp/old <commit>``) are compared in one run.
Each repetition runs every mode once, as a fresh ``flake8 -j1 --isolated .`` process from PATH, in
the order given and then reversed on the next repetition; the report gives the median CPU time
(user + system) of each mode and its ratio to the first. For instance, what building trees costs
inside flake8 apart from the rules, and what a commit changed:

    python bench/corpus.py /tmp/flask-corpus
    python bench/modes.py --reps 7 /tmp/flask-corpus --without-plugin --without-rules --with-plugin
    python bench/modes.py --reps 7 /tmp/flask-corpus --without-plugin --with-plugin@/tmp/old --with-plugin@.
"""

from __future__ import annotations

import argparse
import os
import statistics
from pathlib import Path

from run import run_flake8  # bench/run.py: one flake8_runner.py process, its CPU time and memory


def cpu_seconds(path: str, mode: str, env: dict[str, str]) -> float:
    spec, at, checkout = mode.partition("@")
    runner_mode, *flake8_args = spec.split(":")
    if at:
        env = dict(env, PYTHONPATH=os.pathsep.join(filter(None, [os.path.abspath(checkout), env.get("PYTHONPATH")])))
    return run_flake8(runner_mode, [*flake8_args, "."], Path(path), env).cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("path")
    parser.add_argument("modes", nargs=argparse.REMAINDER, help="flake8_runner.py modes (they start with --)")
    args = parser.parse_args()
    if not args.modes:
        parser.error("give at least one mode")
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # bytecode is written, as an installation does
    times: dict[str, list[float]] = {mode: [] for mode in args.modes}
    for rep in range(args.reps):
        # Reversed every other time, so drift in the machine's speed hits every mode alike.
        for mode in args.modes if rep % 2 == 0 else reversed(args.modes):
            times[mode].append(cpu_seconds(args.path, mode, env))
    first = statistics.median(times[args.modes[0]])
    print(f"{args.reps} alternating runs per mode, medians of CPU time, from {args.path}")
    for mode in args.modes:
        median = statistics.median(times[mode])
        print(f"  {mode:40s} {median:7.3f} s  {median / first:6.3f}x  {1000 * (median - first):+6.0f} ms")


if __name__ == "__main__":
    main()
