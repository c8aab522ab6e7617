"""What the model reads from files other than the linted one (project modules, templates).

A small per-process LRU keyed by path and checked against the file's size and mtime, so an edited
file is read again. It is safe to lose: forked or spawned flake8 workers each fill their own.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from typing import Callable, Generic, TypeVar

T = TypeVar("T")


class FileCache(Generic[T]):
    def __init__(self, size: int, max_bytes: int) -> None:
        self._size = size
        self._max_bytes = max_bytes
        self._entries: OrderedDict[str, tuple[tuple[int, int], T | None]] = OrderedDict()

    def peek(self, path: str) -> T | None:
        """What ``get`` would give for ``path`` if it is cached and unchanged on disk; never reads it."""
        cached = self._entries.get(path)
        if cached is None:
            return None
        try:
            stat = os.stat(path)
        except OSError:
            return None
        return cached[1] if cached[0] == (stat.st_size, stat.st_mtime_ns) else None

    def put(self, path: str, value: T, size: int) -> bool:
        """Remember ``value`` as what ``get`` gives for ``path`` while the file is unchanged, if
        it is ``size`` bytes long now (what ``value`` was made from); True when remembered."""
        try:
            stat = os.stat(path)
        except OSError:
            return False
        if stat.st_size != size or size > self._max_bytes:
            return False
        self._entries[path] = ((stat.st_size, stat.st_mtime_ns), value)
        self._entries.move_to_end(path)
        if len(self._entries) > self._size:
            self._entries.popitem(last=False)
        return True

    def get(self, path: str, parse: Callable[[str, str], T | None]) -> T | None:
        """``parse(text, path)`` of the file, or None when it is missing, too big or unreadable."""
        try:
            stat = os.stat(path)
        except OSError:
            return None
        stamp = (stat.st_size, stat.st_mtime_ns)
        cached = self._entries.get(path)
        if cached is not None and cached[0] == stamp:
            self._entries.move_to_end(path)
            return cached[1]
        value: T | None = None
        if stat.st_size <= self._max_bytes:
            try:
                with open(path, "rb") as handle:
                    text = handle.read(self._max_bytes + 1).decode("utf-8")
                value = parse(text, path)
            except (OSError, UnicodeDecodeError, SyntaxError, ValueError, RecursionError):
                value = None
            except Exception:  # astroid's own build errors: an unreadable neighbour is no finding
                value = None
        self._entries[path] = (stamp, value)
        if len(self._entries) > self._size:
            self._entries.popitem(last=False)
        return value
