"""Rule families. Each module has a ``MESSAGES`` table and a ``check(file, options)`` generator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

from astroid import nodes

from ..model import FlaskFile
from ..options import Options


@dataclass(frozen=True)
class Finding:
    line: int
    column: int
    code: str
    message: str

    @classmethod
    def at(cls, node: nodes.NodeNG, code: str, message: str) -> Finding:
        return cls(node.lineno or 1, node.col_offset or 0, code, message)


Check = Callable[[FlaskFile, Options], Iterator[Finding]]


def families() -> tuple[tuple[str, Check], ...]:
    from . import debug, secrets

    return (("debug", debug.check), ("secrets", secrets.check))


def all_messages() -> dict[str, str]:
    from . import debug, secrets, internal

    table: dict[str, str] = {}
    for module in (internal, debug, secrets):
        table.update(module.MESSAGES)
    return table
