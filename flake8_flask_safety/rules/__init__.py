"""Rule families. Each family module has a ``MESSAGES`` table and a ``check(file, options)``
generator; codes in its optional ``DEFAULT_OFF`` set are opt-in (enabled with ``extend-select``).

To add a family: write ``rules/<family>.py`` and add its module name to ``FAMILY_MODULES``.
"""

from __future__ import annotations

import functools
import importlib
from types import ModuleType
from typing import Callable, Iterator, NamedTuple

from astroid import nodes

from ..model import FlaskFile
from ..options import Options

# Order matters only for which FKS000 is reported first; findings are de-duplicated by position.
FAMILY_MODULES: tuple[str, ...] = (
    "debug",
    "secrets",
    "routing",
    "urls",
    "methods",
    "templates",
    "open_redirect",
    "request_json",
    "contexts",
    "shared_state",
)


class Finding(NamedTuple):
    line: int
    column: int
    code: str
    message: str

    @classmethod
    def at(cls, node: nodes.NodeNG, code: str, message: str) -> Finding:
        return cls(node.lineno or 1, node.col_offset or 0, code, message)


Check = Callable[[FlaskFile, Options], Iterator[Finding]]


class Family(NamedTuple):
    name: str
    check: Check
    codes: frozenset[str]

    def runs_under(self, options: Options) -> bool:
        """Some code of the family is on: a family whose codes flake8 would all drop is skipped."""
        return not self.codes <= options.off_codes


def _family_modules() -> list[ModuleType]:
    return [importlib.import_module(f"{__name__}.{name}") for name in FAMILY_MODULES]


@functools.lru_cache(maxsize=1)
def families() -> tuple[Family, ...]:
    """Every family; asked once per linted file, computed once per process."""
    return tuple(
        Family(module.__name__.rsplit(".", 1)[1], module.check, frozenset(module.MESSAGES))
        for module in _family_modules()
    )


def all_messages() -> dict[str, str]:
    from . import internal

    table: dict[str, str] = dict(internal.MESSAGES)
    for module in _family_modules():
        table.update(module.MESSAGES)
    return table
