"""What flake8-flask-safety costs inside flake8: time, memory and growth, with and without it.

    python bench/run.py                       # full run (about 10 minutes on a quiet 2-core machine)
    python bench/run.py --quick               # fewer repetitions, smaller stdlib subset (~3 minutes)
    python bench/run.py --flask-path ~/src/ctfd --flask-path ~/src/redash [--with-generated]
    python bench/run.py --json results.json   # also write every measurement as JSON

Every measurement runs ``bench/flake8_runner.py`` in a fresh process, once with the plugin and
once without it (the same flake8 installation; ``--without-plugin`` removes the plugin's entry
point before flake8 loads plugins), alternating, and reports medians. Times are CPU seconds
(user + system) of that process, read with ``os.wait4``; wall-clock medians are printed beside
them. On a busy machine CPU time is the steadier figure; on a quiet one the two agree, because
``flake8 -j1`` is one single-threaded process. Peak memory is the process's maximum resident set
size, also from ``os.wait4``.

Sections:
1. Flask-heavy code: each ``--flask-path`` (flake8 runs there on ``.``); without one, a generated
   corpus of 32,000+ lines of Flask applications (``bench/corpus.py``).
2. Code that has nothing to do with Flask: a fixed subset of the running Python's standard library
   (``STDLIB_DIRS``; ``--quick`` uses ``STDLIB_DIRS_QUICK``).
3. Editor save: one generated 300-line Flask module linted by a fresh flake8 process; the extra
   milliseconds.
4. Peak memory of each run above.
5. Growth: generated Flask modules of 500, 5,000 and 20,000 lines; the plugin's own time per line
   (measured inside one process by ``bench/probe.py``, warm, best of several), and the ratio of
   the per-line time at 20,000 lines to the one at 500 lines.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

STDLIB_DIRS = (
    "asyncio", "concurrent", "email", "http", "importlib", "json", "logging", "unittest", "urllib", "xml",
)
STDLIB_DIRS_QUICK = ("email", "http", "json", "logging")
FLAKE8_ARGS = ("--isolated", "-j1", "--exit-zero")
TARGETS = {
    "flask_ratio": 1.10,
    "stdlib_ratio": 1.02,
    "save_extra_ms": 80.0,
    "memory_extra_mb": 60.0,
    "growth_ratio": 2.0,
}


@dataclass
class Run:
    cpu: float
    wall: float
    maxrss_mb: float


@dataclass
class Pair:
    label: str
    lines: int
    with_plugin: list[Run] = field(default_factory=list)
    without_plugin: list[Run] = field(default_factory=list)

    def median(self, runs: list[Run], attribute: str) -> float:
        return statistics.median(getattr(run, attribute) for run in runs)

    def summary(self) -> dict[str, float]:
        cpu_with, cpu_without = self.median(self.with_plugin, "cpu"), self.median(self.without_plugin, "cpu")
        wall_with, wall_without = self.median(self.with_plugin, "wall"), self.median(self.without_plugin, "wall")
        mem_with = max(run.maxrss_mb for run in self.with_plugin)
        mem_without = max(run.maxrss_mb for run in self.without_plugin)
        return {
            "cpu_with": cpu_with, "cpu_without": cpu_without, "cpu_ratio": cpu_with / cpu_without,
            "cpu_extra_ms": (cpu_with - cpu_without) * 1000,
            "wall_with": wall_with, "wall_without": wall_without, "wall_ratio": wall_with / wall_without,
            "wall_extra_ms": (wall_with - wall_without) * 1000,
            "maxrss_with_mb": mem_with, "maxrss_without_mb": mem_without,
            "maxrss_extra_mb": mem_with - mem_without,
        }


def run_flake8(mode: str, paths: list[str], cwd: Path, env: dict[str, str]) -> Run:
    command = [sys.executable, str(HERE / "flake8_runner.py"), mode, *FLAKE8_ARGS, *paths]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1) or b"Traceback" in errors:
        raise SystemExit(f"flake8 failed in {cwd}: {errors.decode(errors='replace')[-2000:]}")
    return Run(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024)


def measure(pair: Pair, paths: list[str], cwd: Path, reps: int, env: dict[str, str]) -> Pair:
    run_flake8("--with-plugin", paths, cwd, env)  # warm the disk cache and bytecode caches
    run_flake8("--without-plugin", paths, cwd, env)
    for rep in range(reps):
        # Alternate, and swap which mode goes first, so drift in machine load hits both alike.
        order = ("--with-plugin", "--without-plugin") if rep % 2 == 0 else ("--without-plugin", "--with-plugin")
        for mode in order:
            result = run_flake8(mode, paths, cwd, env)
            (pair.with_plugin if mode == "--with-plugin" else pair.without_plugin).append(result)
        print(f"  {pair.label}: rep {rep + 1}/{reps}", file=sys.stderr)
    return pair


def python_lines(root: Path) -> int:
    total = 0
    for path in root.rglob("*.py"):
        try:
            total += path.read_bytes().count(b"\n")
        except OSError:
            pass
    return total


def stdlib_root() -> Path:
    return Path(sysconfig.get_paths()["stdlib"])


def growth(sizes: tuple[int, ...], workdir: Path, env: dict[str, str], repeats: int) -> dict[str, object]:
    files = []
    for size in sizes:
        path = workdir / f"growth_{size}.py"
        path.write_text(corpus.generate_module(size), encoding="utf-8")
        files.append(str(path))
    output = subprocess.run(
        [sys.executable, str(HERE / "probe.py"), "--repeats", str(repeats), *files],
        env=env, capture_output=True, text=True, check=True,
    ).stdout
    rows = json.loads(output)
    per_line = {row["lines"]: row["seconds"] / row["lines"] for row in rows}
    smallest, largest = min(per_line), max(per_line)
    return {"rows": rows, "ratio": per_line[largest] / per_line[smallest]}


def versions() -> dict[str, str]:
    from importlib.metadata import version

    found = {"python": platform.python_version(), "platform": platform.platform()}
    for name in ("flake8", "pyflakes", "pycodestyle", "mccabe", "astroid", "flake8-flask-safety"):
        try:
            found[name] = version(name)
        except Exception:
            found[name] = "not installed"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            models = [line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")]
        found["cpu"] = f"{models[0]} ({len(models)} logical CPUs)" if models else platform.processor()
    except OSError:
        found["cpu"] = platform.processor() or "unknown"
    return found


def load() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def report_pair(pair: Pair) -> dict[str, float]:
    s = pair.summary()
    print(
        f"{pair.label:34s} {pair.lines:>8,d} lines  without {s['cpu_without']:7.3f}s  with {s['cpu_with']:7.3f}s"
        f"  ratio {s['cpu_ratio']:.3f} (wall {s['wall_ratio']:.3f})"
        f"  +{s['cpu_extra_ms']:.0f} ms  peak RSS {s['maxrss_without_mb']:.0f} -> {s['maxrss_with_mb']:.0f} MB"
        f" (+{s['maxrss_extra_mb']:.1f})"
    )
    return s


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flask-path", action="append", default=[], type=Path,
                        help="a Flask code base to measure (repeatable); default: the generated corpus")
    parser.add_argument("--with-generated", action="store_true",
                        help="measure the generated corpus as well as the --flask-path code bases")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, smaller stdlib subset")
    parser.add_argument("--reps", type=int, help="repetitions per measurement (default 5, quick 3)")
    parser.add_argument("--skip", action="append", default=[], choices=("flask", "stdlib", "save", "growth"))
    parser.add_argument("--pythonpath", help="put this directory first on PYTHONPATH of every flake8 run"
                        " (to measure another copy of the plugin with the same installation)")
    parser.add_argument("--json", type=Path, help="write all measurements to this file")
    args = parser.parse_args()
    reps = args.reps or (3 if args.quick else 5)
    env = dict(os.environ)
    # pip writes the bytecode of an installed plugin; a checkout under PYTHONDONTWRITEBYTECODE
    # would instead compile the plugin's modules in every process (~55 ms, all of it startup).
    # The first run of each measurement writes it, as an installation would have.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if args.pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [args.pythonpath, env.get("PYTHONPATH")]))
    results: dict[str, object] = {"versions": versions(), "load_before": load(), "reps": reps}
    print("machine and versions:", json.dumps(results["versions"]))
    print(f"load average before: {results['load_before']}; {reps} alternating runs per figure; times are CPU s")

    with tempfile.TemporaryDirectory(prefix="fks-bench-") as tmp:
        workdir = Path(tmp)
        summaries: dict[str, dict[str, float]] = {}
        if "flask" not in args.skip:
            targets = [(p.resolve(), p.resolve().name) for p in args.flask_path]
            if not args.flask_path or args.with_generated:
                generated = workdir / "corpus"
                corpus.generate_corpus(generated)
                targets.insert(0, (generated, "generated Flask corpus"))
            for root, label in targets:
                pair = measure(Pair(label, python_lines(root)), ["."], root, reps, env)
                summaries[f"flask:{label}"] = report_pair(pair)
        if "stdlib" not in args.skip:
            dirs = STDLIB_DIRS_QUICK if args.quick else STDLIB_DIRS
            root = stdlib_root()
            lines = sum(python_lines(root / name) for name in dirs)
            pair = measure(Pair(f"stdlib ({', '.join(dirs)})", lines), list(dirs), root, reps, env)
            summaries["stdlib"] = report_pair(pair)
        if "save" not in args.skip:
            module = workdir / "save" / "views.py"
            module.parent.mkdir()
            module.write_text(corpus.generate_module(300), encoding="utf-8")
            pair = measure(
                Pair("editor save (300-line module)", python_lines(module.parent)), [module.name],
                module.parent, reps * 4, env,
            )
            summaries["save"] = report_pair(pair)
        if "growth" not in args.skip:
            grown = growth((500, 5_000, 20_000), workdir, env, repeats=3 if args.quick else 7)
            results["growth"] = grown
            for row in grown["rows"]:  # type: ignore[union-attr]
                print(f"growth: {row['lines']:>6,d} lines  plugin {row['seconds'] * 1000:8.1f} ms"
                      f"  {row['seconds'] / row['lines'] * 1e6:6.1f} us/line")
            print(f"growth: per-line time at 20,000 lines / at 500 lines = {grown['ratio']:.2f}")
    results["summaries"] = summaries
    results["load_after"] = load()
    print(f"load average after: {results['load_after']}")
    print()
    print(verdict(summaries, results.get("growth")))  # type: ignore[arg-type]
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=asdict), encoding="utf-8")
    return 0


def verdict(summaries: dict[str, dict[str, float]], grown: dict[str, object] | None) -> str:
    lines = ["targets (CPU-time medians):"]
    for key, summary in summaries.items():
        if key.startswith("flask:"):
            lines.append(_check(f"Flask-heavy {key[6:]}: ratio", summary["cpu_ratio"], TARGETS["flask_ratio"], "x"))
            lines.append(_check(f"peak memory {key[6:]}: extra MB", summary["maxrss_extra_mb"],
                                TARGETS["memory_extra_mb"], " MB"))
        elif key == "stdlib":
            lines.append(_check("non-Flask (stdlib): ratio", summary["cpu_ratio"], TARGETS["stdlib_ratio"], "x"))
        elif key == "save":
            lines.append(_check("editor save: extra ms", summary["cpu_extra_ms"], TARGETS["save_extra_ms"], " ms"))
            lines.append(f"  (wall clock: +{summary['wall_extra_ms']:.0f} ms)")
    if grown is not None:
        ratio: float = grown["ratio"]  # type: ignore[assignment]
        lines.append(_check("growth: per-line 20k/500", ratio, TARGETS["growth_ratio"], "x"))
    return "\n".join(lines)


def _check(label: str, value: float, limit: float, unit: str) -> str:
    state = "ok  " if value <= limit else "OVER"
    return f"  [{state}] {label} = {value:.3f}{unit} (target <= {limit}{unit})"


if __name__ == "__main__":
    raise SystemExit(main())
