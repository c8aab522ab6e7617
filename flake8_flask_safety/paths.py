"""What a file's path says about it. Kept free of astroid so the pre-check can ask it too."""

from __future__ import annotations

import functools
import os

TEST_DIRS = frozenset({"test", "tests", "testing"})


def module_stem(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]


def is_test_path(path: str) -> bool:
    """A test module: ``test_*.py``, ``*_test.py``, ``conftest.py``, ``tests.py``, or a file under a
    ``test``, ``tests`` or ``testing`` directory of the project."""
    return _is_test_path(path, os.getcwd())


@functools.lru_cache(maxsize=1024)
def _is_test_path(path: str, cwd: str) -> bool:  # the pre-check and several rules ask per file
    stem = module_stem(path)
    if stem == "conftest" or stem.startswith("test_") or stem.endswith("_test") or stem == "tests":
        return True
    return any(part in TEST_DIRS for part in project_dirs(path))


@functools.lru_cache(maxsize=4096)
def real_path(path: str) -> str:
    """``os.path.realpath``, remembered for the process: it reads every directory of the path
    (one ``lstat`` each), and template and module lookups ask for the same folders over and over.
    The folder part is resolved once per folder, so a file costs one ``lstat`` of its own. Links
    that change while flake8 runs are not seen; the cache is safe to lose."""
    folder, name = os.path.split(path)
    if not folder or name in ("", os.curdir, os.pardir) or os.path.islink(path):
        return os.path.realpath(path)
    return os.path.join(_real_folder(folder), name)


@functools.lru_cache(maxsize=1024)
def _real_folder(path: str) -> str:
    # A folder that is not a link is where its parent really is: one ``lstat`` per new folder,
    # where ``os.path.realpath`` reads every directory of the path again.
    parent, name = os.path.split(path)
    if not parent or parent == path or name in ("", os.curdir, os.pardir) or os.path.islink(path):
        return os.path.realpath(path)
    return os.path.join(_real_folder(parent), name)


def project_dirs(path: str) -> list[str]:
    """Directory names of ``path`` inside the project flake8 runs on (below the working directory).

    flake8 passes paths as the user gave them, usually relative to the project root. Names above
    the working directory say nothing about the file (a checkout may live under ``~/tests/``).
    """
    if not os.path.isabs(path):  # what flake8 passes: relative to the working directory
        relative = os.path.normpath(path)
        if not relative.startswith(os.pardir):
            return relative.split(os.sep)[:-1]
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, os.getcwd())
    except ValueError:  # another drive on Windows
        relative = absolute
    if relative.startswith(os.pardir):
        relative = os.path.join(*os.path.normpath(absolute).split(os.sep)[-3:])
    return os.path.normpath(relative).split(os.sep)[:-1]
