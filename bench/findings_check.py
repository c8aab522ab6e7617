"""Show that speed work leaves findings unchanged: the whole rule set, before and after.

    python bench/findings_check.py --against main            # this checkout vs the plugin at `main`
    python bench/findings_check.py --against main PATH...    # ... on these code bases too
    python bench/findings_check.py --save findings.txt       # write this checkout's findings
    python bench/findings_check.py --compare findings.txt    # compare with saved findings

Without PATHs the code base is the generated corpus of ``bench/corpus.py`` (deterministic). flake8
runs in each code base's root (``-j1 --isolated``), every FKS code selected, including opt-in ones.
``--against REV`` runs the same flake8 installation a second time with the plugin's package as it
was at git revision REV (extracted with ``git archive`` and put first on ``PYTHONPATH``), and
prints every finding that only one side reports. The exit status is 1 when findings differ.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402


def selected_codes() -> str:
    from flake8_flask_safety.rules import all_messages

    return ",".join(["FKS", *sorted(all_messages())])


def findings(roots: list[tuple[Path, str]], codes: str, pythonpath: str | None = None) -> list[str]:
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [pythonpath, env.get("PYTHONPATH")]))
    found: list[str] = []
    for root, label in roots:
        result = subprocess.run(
            [sys.executable, "-m", "flake8", "--isolated", "-j1", f"--select={codes}", "."],
            cwd=root, env=env, capture_output=True, text=True,
        )
        if result.returncode not in (0, 1) or "Traceback" in result.stderr:
            raise SystemExit(f"flake8 failed in {root}:\n{result.stderr[-3000:]}")
        found.extend(f"{label}/{line.removeprefix('./')}" for line in result.stdout.splitlines() if line)
    return sorted(found)


def plugin_at(revision: str, dest: Path) -> str:
    archive = dest / "plugin.tar"
    with open(archive, "wb") as handle:
        subprocess.run(
            ["git", "archive", "--format=tar", revision, "flake8_flask_safety"],
            cwd=REPO, stdout=handle, check=True,
        )
    with tarfile.open(archive) as tar:
        tar.extractall(dest / "src", filter="data")
    return str(dest / "src")


def difference(before: list[str], after: list[str], names: tuple[str, str]) -> list[str]:
    only_before = sorted(set(before) - set(after))
    only_after = sorted(set(after) - set(before))
    return [f"only {names[0]}: {line}" for line in only_before] + [f"only {names[1]}: {line}" for line in only_after]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help="code bases to lint as well as the generated corpus")
    parser.add_argument("--against", metavar="REV", help="git revision of the plugin to compare with")
    parser.add_argument("--save", type=Path, help="write this checkout's findings here")
    parser.add_argument("--compare", type=Path, help="compare this checkout's findings with this file")
    parser.add_argument("--no-generated", action="store_true", help="lint only the PATHs")
    args = parser.parse_args()
    if not (args.against or args.save or args.compare):
        parser.error("give --against REV, --save FILE or --compare FILE")
    codes = selected_codes()
    with tempfile.TemporaryDirectory(prefix="fks-findings-") as tmp:
        workdir = Path(tmp)
        roots = [(path.resolve(), path.resolve().name) for path in args.paths]
        if not args.no_generated:
            corpus.generate_corpus(workdir / "generated")
            roots.insert(0, (workdir / "generated", "generated"))
        current = findings(roots, codes)
        print(f"{len(current)} findings in this checkout over {len(roots)} code base(s)")
        differences: list[str] = []
        if args.save:
            args.save.write_text("".join(line + "\n" for line in current), encoding="utf-8")
        if args.compare:
            saved = args.compare.read_text(encoding="utf-8").splitlines()
            differences += difference(saved, current, (str(args.compare), "now"))
        if args.against:
            before = findings(roots, codes, plugin_at(args.against, workdir))
            print(f"{len(before)} findings with the plugin at {args.against}")
            differences += difference(before, current, (args.against, "now"))
    for line in differences:
        print(line)
    print("findings differ" if differences else "findings identical")
    return 1 if differences else 0


if __name__ == "__main__":
    raise SystemExit(main())
