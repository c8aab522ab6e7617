"""Modules of the linted project, found beside the linted file and read (never imported).

``from app import app`` or ``from .factory import create_app`` name objects defined in another
file of the same project. The resolver finds that file by the rules Python would use for a
script or package laid out on disk, parses it with the same side-effect-free builder, and hands
back its Flask model. Work is bounded: a few candidate paths per import, files under 1 MB, a
resolution depth limit, and a small per-process cache keyed by path, size and mtime (safe to
lose, so forked or spawned flake8 workers need nothing from each other).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Callable

from ..paths import real_path
from .file_cache import FileCache

if TYPE_CHECKING:
    from .flask_file import FlaskFile

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 3
_CACHE_SIZE = 128
_PACKAGE_WALK_LIMIT = 8
_FOUND_SIZE = 4096


class ProjectModules:
    """Per-process cache of the project's other modules, as Flask models."""

    def __init__(self) -> None:
        self._cache: FileCache[FlaskFile] = FileCache(_CACHE_SIZE, MAX_FILE_BYTES)
        # Where each import of each directory leads: the modules of one package ask the same.
        self._found: dict[tuple[str, str], str | None] = {}

    def find_module(self, importer: str, dotted: str) -> str | None:
        """Path of the module ``dotted`` (leading dots mean relative) as seen from ``importer``."""
        if not importer or importer in ("stdin", "-"):
            importer = os.path.join(os.getcwd(), "stdin.py")
        importer_dir = os.path.dirname(os.path.abspath(importer))
        key = (importer_dir, dotted)
        if key not in self._found:
            if len(self._found) >= _FOUND_SIZE:
                self._found.clear()
            self._found[key] = self._find(importer_dir, dotted)
        return self._found[key]

    def _find(self, importer_dir: str, dotted: str) -> str | None:
        level = len(dotted) - len(dotted.lstrip("."))
        parts = [p for p in dotted.lstrip(".").split(".") if p]
        if level:
            base = importer_dir
            for _ in range(level - 1):
                base = os.path.dirname(base)
            roots = [base]
        else:
            roots = _search_roots(importer_dir)
        for root in roots:
            path = _module_file(root, parts)
            if path is not None:
                return path
        return None

    def load(self, path: str, build: Callable[[str, str], FlaskFile | None]) -> FlaskFile | None:
        return self._cache.get(path, build)

    def keep(self, path: str, source: str, file: FlaskFile) -> bool:
        """Remember ``file``, the model of the linted module ``path`` with text ``source``, for
        later importers, if the file on disk has that text's size; True when it is kept."""
        return self._cache.put(path, file, len(source.encode("utf-8", "surrogatepass")))

    def loaded(self, path: str) -> FlaskFile | None:
        """The model of ``path`` if another module's import already read it and it is unchanged."""
        return self._cache.peek(path)


def _search_roots(importer_dir: str) -> list[str]:
    """The script's own directory, then the directory above its outermost package."""
    roots = [importer_dir]
    top = importer_dir
    for _ in range(_PACKAGE_WALK_LIMIT):
        if not os.path.isfile(os.path.join(top, "__init__.py")):
            break
        top = os.path.dirname(top)
    if top != importer_dir:
        roots.append(top)
    return roots


def _module_file(root: str, parts: list[str]) -> str | None:
    if not parts:
        candidate = os.path.join(root, "__init__.py")
        return candidate if _is_project_file(root, candidate) else None
    base = os.path.join(root, *parts)
    # A package directory wins over a module of the same name, as in Python's own import system.
    for candidate in (os.path.join(base, "__init__.py"), base + ".py"):
        if _is_project_file(root, candidate):
            return candidate
    return None


def _is_project_file(root: str, candidate: str) -> bool:
    """A regular file that really lives under ``root`` (links may not lead out of the tree)."""
    if not os.path.isfile(candidate):
        return False
    real_root = real_path(root)
    real = real_path(candidate)
    return real == real_root or real.startswith(real_root + os.sep)


PROJECT = ProjectModules()
