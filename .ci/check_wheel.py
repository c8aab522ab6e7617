"""Smoke test of an installed flake8-flask-safety (run with the Python of a fresh environment).

Usage: python check_wheel.py EXAMPLES_DIR

Checks, using only the standard library and the installed packages:
- the package is imported from the environment, not from a source checkout;
- ``flake8 --version`` lists the plugin with the package's version;
- ``python -m flake8_flask_safety list`` lists every code and ``explain`` prints each page;
- linting the example app gives exactly the findings in ``EXAMPLES_DIR/README.md``.
"""

from __future__ import annotations

import re
import subprocess
import sys
import sysconfig
from pathlib import Path


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def fail(message: str) -> None:
    print(f"check_wheel: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def main(examples: Path) -> None:
    import flake8_flask_safety
    from flake8_flask_safety.rules import all_messages

    location = Path(flake8_flask_safety.__file__).resolve()
    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    if site not in location.parents:
        fail(f"flake8_flask_safety imported from {location}, not from {site}")

    version = run("-m", "flake8", "--version", cwd=examples)
    expected = f"flake8-flask-safety: {flake8_flask_safety.__version__}"
    if version.returncode != 0 or expected not in version.stdout:
        fail(f"'flake8 --version' does not list {expected!r}:\n{version.stdout}{version.stderr}")

    codes = sorted(all_messages())
    listing = run("-m", "flake8_flask_safety", "list", cwd=examples)
    listed = [line.split()[0] for line in listing.stdout.splitlines()[1:]]
    if listing.returncode != 0 or listed != codes:
        fail(f"'list' shows {listed}, expected {codes}\n{listing.stderr}")
    for code in codes:
        explained = run("-m", "flake8_flask_safety", "explain", code, cwd=examples)
        if explained.returncode != 0 or not explained.stdout.startswith(f"# {code}: ") \
                or "## Use instead" not in explained.stdout:
            fail(f"'explain {code}' did not print its page:\n{explained.stdout[:300]}{explained.stderr}")

    lint = run("-m", "flake8", "--isolated", "--select=FKS", "-j1", ".", cwd=examples)
    if lint.returncode not in (0, 1) or "Traceback" in lint.stderr:
        fail(f"flake8 failed on the examples:\n{lint.stderr}")
    found = sorted(
        (m[1].removeprefix("./"), int(m[2]), m[3])
        for m in re.finditer(r"^(.*?):(\d+):\d+: (FKS\d{3}) ", lint.stdout, re.M)
    )
    table = (examples / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([^`]+)` \| (\d+) \| (FKS\d{3}) \|", table, re.M)
    documented = sorted((path, int(line), code) for path, line, code in rows)
    if not documented or found != documented:
        fail(f"example findings differ from examples/README.md:\nfound {found}\ndocumented {documented}")
    missing = sorted(set(codes) - {"FKS000"} - {code for _, _, code in found})
    if missing:
        fail(f"codes the example app does not produce: {missing}")
    print(f"check_wheel: ok: {location.parent} on Python {sys.version.split()[0]}, "
          f"{len(codes)} codes, {len(found)} example findings")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve())
