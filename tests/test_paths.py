"""The path helpers give what ``os.path`` would, only faster."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flake8_flask_safety import paths


def _old_project_dirs(path: str) -> list[str]:
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute, os.getcwd())
    if relative.startswith(os.pardir):
        relative = os.path.join(*os.path.normpath(absolute).split(os.sep)[-3:])
    return os.path.normpath(relative).split(os.sep)[:-1]


@pytest.fixture
def tree_with_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "real" / "sub").mkdir(parents=True)
    (tmp_path / "real" / "sub" / "views.py").write_text("")
    (tmp_path / "linked").symlink_to(tmp_path / "real")
    (tmp_path / "real" / "sub" / "alias.py").symlink_to(tmp_path / "real" / "sub" / "views.py")
    (tmp_path / "real" / "rel").symlink_to("sub")  # a relative link inside the tree
    (tmp_path / "real" / "sub" / "deep" / "er").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    paths.real_path.cache_clear()
    paths._real_folder.cache_clear()
    return tmp_path


CANDIDATES = [
    "real/sub/views.py", "linked/sub/views.py", "real/sub/alias.py", "linked/sub/alias.py",
    "./linked/sub/../sub/views.py", "linked/sub/missing.py", "missing/dir/f.py", "linked/..",
    "linked/.", "linked/", "linked", ".", "..", "", "../outside/f.py", "/", "real/sub/views.py/",
    "real/rel/views.py", "linked/rel/deep/er/x.html", "linked/rel/deep/er/../../views.py",
    "real/sub/deep/er/missing/more/x.py", "linked//sub//views.py",
]


@pytest.mark.parametrize("candidate", CANDIDATES)
def test_real_path_is_os_realpath(tree_with_links: Path, candidate: str) -> None:
    for path in (candidate, str(tree_with_links / candidate) if candidate else candidate):
        assert paths.real_path(path) == os.path.realpath(path), path


@pytest.mark.parametrize("candidate", CANDIDATES + ["tests/test_app.py", "./app/tests/x.py"])
def test_project_dirs_are_the_folders_below_the_working_directory(
    tree_with_links: Path, candidate: str
) -> None:
    for path in (candidate, str(tree_with_links / candidate)):
        assert paths.project_dirs(path) == _old_project_dirs(path), path
