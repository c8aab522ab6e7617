"""``python -m flake8_flask_safety``: list the codes and explain one.

Everything printed here comes from the rule modules (``MESSAGES``, ``DEFAULT_OFF``) and from the
documentation pages shipped inside the package (``flake8_flask_safety/docs/FKSnnn.md``), so a new
code shows up here as soon as its module is registered and its page exists.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from dataclasses import dataclass
from importlib import resources
from typing import Sequence, TextIO

from . import __version__

PROG = "python -m flake8_flask_safety"
_CODE = re.compile(r"FKS\d{3}")
_TITLE = re.compile(r"^# (FKS\d{3}): (\S.*)$")


@dataclass(frozen=True)
class CodeInfo:
    code: str
    default_on: bool
    summary: str

    @property
    def state(self) -> str:
        return "on" if self.default_on else "off"


def _rule_modules() -> list[object]:
    from . import rules
    from .rules import internal

    return [internal] + [importlib.import_module(f"{rules.__name__}.{name}") for name in rules.FAMILY_MODULES]


def default_off_codes() -> frozenset[str]:
    """Opt-in codes, as each rule module declares them."""
    off: set[str] = set()
    for module in _rule_modules():
        off.update(getattr(module, "DEFAULT_OFF", ()))
    return frozenset(off)


def doc_text(code: str) -> str | None:
    """The packaged documentation page of ``code``, or None when there is none."""
    page = resources.files(__package__).joinpath("docs", f"{code}.md")
    try:
        return page.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return None


def summary_of(code: str, fallback: str) -> str:
    """The one-line summary: the title of the code's page (the README shows the same words)."""
    text = doc_text(code)
    match = _TITLE.match(text.splitlines()[0]) if text else None
    return match[2] if match else fallback


def codes() -> list[CodeInfo]:
    from .rules import all_messages

    off = default_off_codes()
    return [
        CodeInfo(code, code not in off, summary_of(code, message))
        for code, message in sorted(all_messages().items())
    ]


def _default_line(info: CodeInfo) -> str:
    if info.default_on:
        return "Default: on (reported once the plugin is installed, unless your selection leaves FKS out)."
    return f"Default: off (opt-in: enable it with `extend-select = {info.code}` in your flake8 configuration)."


def explain_text(info: CodeInfo) -> str:
    text = doc_text(info.code) or f"# {info.code}: {info.summary}\n\n(No documentation page is installed.)\n"
    title, _, rest = text.partition("\n")
    return f"{title}\n\n{_default_line(info)}\n{rest}"


def _list(out: TextIO) -> int:
    table = codes()
    out.write(f"{'Code':<8}{'Default':<9}Summary\n")
    for info in table:
        out.write(f"{info.code:<8}{info.state:<9}{info.summary}\n")
    return 0


def _explain(requested: Sequence[str], out: TextIO, err: TextIO) -> int:
    known = {info.code: info for info in codes()}
    unknown = [raw for raw in requested if raw.strip().upper() not in known]
    for raw in unknown:
        shape = "" if _CODE.fullmatch(raw.strip().upper()) else " (codes look like FKS101)"
        err.write(f"{PROG}: error: unknown code {raw!r}{shape}\n")
    if unknown:
        err.write(f"Run '{PROG} list' to see every code.\n")
        return 1
    pages = [explain_text(known[raw.strip().upper()]).rstrip("\n") for raw in requested]
    out.write("\n\n".join(pages) + "\n")
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog=PROG,
        description="Show the codes of flake8-flask-safety and their documentation. "
        "Linting itself runs through flake8: 'flake8 your_project/'.",
    )
    main.add_argument("--version", action="version", version=f"flake8-flask-safety {__version__}")
    commands = main.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("list", help="print every code with its default state (on/off) and summary",
                        description="Print every code with its default state (on/off) and summary.")
    explain = commands.add_parser("explain", help="print the full documentation of one or more codes",
                                  description="Print the full documentation of one or more codes.")
    explain.add_argument("codes", nargs="+", metavar="CODE", help="a code such as FKS101")
    return main


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    args = parser().parse_args(argv)
    if args.command == "list":
        return _list(out)
    if args.command == "explain":
        return _explain(args.codes, out, err)
    parser().print_help(err)
    return 2


def console() -> None:
    """The ``flake8-flask-safety`` console script."""
    sys.exit(main())
