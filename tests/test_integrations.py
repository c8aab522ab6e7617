"""The plugin where Flask developers run it: flake8 configuration files, editors, pre-commit and tox.

The pre-commit and tox tests install packages from the package registry into throwaway
environments; they are marked ``network`` (deselect with ``-m "not network"`` when offline).
The configurations they run are read from README.md, so the README cannot drift from them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_run import Reported, flake8, parse, write

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BIN = Path(sys.executable).parent
FLAKE8 = str(BIN / "flake8")

# A small project: config in setup.cfg, an app factory, a config module, a WSGI entry point that
# imports the app from the package, a development script under per-file-ignores, a test module and
# a clean file.
PROJECT = {
    "setup.cfg": """\
        [flake8]
        max-line-length = 120
        extend-select = FKS
        per-file-ignores =
            devserver.py: FKS101,FKS104
        fks-signing-keys = MY_SIGNING_SECRET
        """,
    "shop/__init__.py": """\
        from flask import Flask


        def create_app():
            app = Flask(__name__)
            app.config["MY_SIGNING_SECRET"] = "d1e8a3c5b7f94e2a6c0b8d4f2a6e9c13"
            app.secret_key = "9b1de4c07a3f4e2d8c6b5a4f3e2d1c0b"
            return app
        """,
    "shop/config.py": """\
        class Config:
            DEBUG = True
            SQLALCHEMY_DATABASE_URI = "postgresql://shop:pr0d-pa55@db:5432/shop"
        """,
    "wsgi.py": """\
        from shop import create_app

        app = create_app()
        app.run(host="0.0.0.0")
        """,
    "devserver.py": """\
        from shop import create_app

        create_app().run(debug=True)
        """,
    "tests/test_views.py": """\
        from shop import create_app

        app = create_app()
        app.config["DEBUG"] = True
        app.config["SECRET_KEY"] = "7c4a8d09ca3762af61e59520943dc264"
        """,
    "clean.py": """\
        import os

        from flask import Flask

        app = Flask(__name__)
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
        """,
}
NEEDS_THE_FILE_NAME = {"devserver.py", "tests/test_views.py"}  # per-file-ignores, test module
# What the editors lint below (each is one flake8 run per file and editor; the rest adds nothing).
EDITOR_FILES = ("shop/__init__.py", "wsgi.py", *sorted(NEEDS_THE_FILE_NAME))


def run(argv: list[str], cwd: Path, stdin: str | None = None, env: dict[str, str] | None = None,
        timeout: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, input=stdin, capture_output=True, text=True, env=env, timeout=timeout)


def checked(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result.stdout


Finding = tuple[int, int, str, str]  # line, column, code, message


def fks_of(found: list[Reported]) -> list[Finding]:
    return sorted((f.line, f.col, f.code, f.text) for f in found if f.code.startswith("FKS"))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("project"), PROJECT)


@pytest.fixture(scope="module")
def on_disk(project: Path) -> dict[str, list[Finding]]:
    """What ``flake8 <file>`` reports from the project root, file by file: the reference."""
    found: dict[str, list[Finding]] = {}
    for name in PROJECT:
        if name.endswith(".py"):
            found[name] = fks_of(parse(checked(run([FLAKE8, name], cwd=project))))
    return found


def test_the_project_exercises_config_ignores_and_test_modules(on_disk: dict[str, list[Finding]]) -> None:
    codes = {name: sorted({code for _, _, code, _ in found}) for name, found in on_disk.items()}
    assert codes == {
        "shop/__init__.py": ["FKS401"],  # twice: fks-signing-keys from setup.cfg, and secret_key
        "shop/config.py": ["FKS102", "FKS403"],
        "wsgi.py": ["FKS104", "FKS105"],  # the app comes from the package: found without importing it
        "devserver.py": [],  # per-file-ignores
        "tests/test_views.py": [],  # test module
        "clean.py": [],
    }
    assert len(on_disk["shop/__init__.py"]) == 2


# -- editors ---------------------------------------------------------------------------------------
# The command lines below are the ones these editors run (read from their sources):
# - VS Code, Microsoft's flake8 extension (bundled/tool/lsp_server.py): ``python -m flake8`` with
#   ``--format=%(row)d,%(col)d,%(code).1s,%(code)s:%(text)s``, then the file's absolute path, or
#   ``--stdin-display-name <absolute path> -`` when it lints the buffer; cwd is the workspace folder.
# - Vim/Neovim ALE (ale_linters/python/flake8.vim): ``flake8 --format=default
#   --stdin-display-name <absolute path> -``, cwd is the project root.
# - Emacs flycheck (python-flake8 checker): ``python3 -m flake8 --format=default --append-config
#   <setup.cfg> --stdin-display-name=<path> -``, cwd is the project root.
# - Emacs flymake (python.el) with ``python-flymake-command '("flake8" "-")``: the buffer's
#   directory as cwd and no file name.
# - Sublime Text, SublimeLinter-flake8 (linter.py): ``flake8 --format default -`` from the project
#   folder, plus whatever "args" the user sets; with the README's setting that is
#   ``--stdin-display-name <path>``.
VSCODE_FORMAT = "--format=%(row)d,%(col)d,%(code).1s,%(code)s:%(text)s"
_VSCODE_LINE = re.compile(r"^(?P<line>\d+),(?P<col>-?\d+),(?P<type>\w+),(?P<code>\w+\d+):(?P<text>[^\r\n]*)$")


def parse_vscode(output: str) -> list[Finding]:
    found = []
    for raw in output.splitlines():
        match = _VSCODE_LINE.match(raw.strip("'"))
        if match and match["code"].startswith("FKS"):
            assert match["type"] == "F"
            found.append((int(match["line"]), int(match["col"]), match["code"], match["text"]))
    return sorted(found)


def editor_run(editor: str, project: Path, name: str) -> list[Finding]:
    path = project / name
    source = path.read_text(encoding="utf-8")
    python = [sys.executable, "-m", "flake8"]
    if editor == "vscode-file":
        return parse_vscode(checked(run([*python, VSCODE_FORMAT, str(path)], cwd=project)))
    if editor == "vscode-stdin":
        argv = [*python, VSCODE_FORMAT, "--stdin-display-name", str(path), "-"]
        return parse_vscode(checked(run(argv, cwd=project, stdin=source)))
    if editor == "ale":
        argv = [FLAKE8, "--format=default", "--stdin-display-name", str(path), "-"]
    elif editor == "flycheck":
        argv = [*python, "--format=default", "--append-config", str(project / "setup.cfg"),
                f"--stdin-display-name={path}", "-"]
    elif editor == "sublime":
        argv = [FLAKE8, "--format", "default", "--stdin-display-name", str(path), "-"]
    elif editor == "sublime-default":
        argv = [FLAKE8, "--format", "default", "-"]
    elif editor == "flymake":
        found = parse(checked(run([FLAKE8, "-"], cwd=path.parent, stdin=source)))
        assert {f.path for f in found} <= {"stdin"}
        return fks_of(found)
    else:
        raise AssertionError(editor)
    found = parse(checked(run(argv, cwd=project, stdin=source)))
    assert {f.path for f in found} <= {str(path), "stdin"}
    return fks_of(found)


@pytest.mark.parametrize("editor", ["vscode-file", "vscode-stdin", "ale", "flycheck", "sublime"])
def test_editor_command_lines_match_linting_the_file(editor: str, project: Path,
                                                     on_disk: dict[str, list[Finding]]) -> None:
    for name in EDITOR_FILES:
        assert editor_run(editor, project, name) == on_disk[name], name


@pytest.mark.parametrize("editor", ["flymake", "sublime-default"])
def test_editors_that_pass_no_file_name(editor: str, project: Path, on_disk: dict[str, list[Finding]]) -> None:
    """Without ``--stdin-display-name`` the findings match, except where the name matters, as the
    README says: per-file-ignores and the test-module rules cannot apply to "stdin"."""
    for name in EDITOR_FILES:
        found, expected = editor_run(editor, project, name), on_disk[name]
        if name in NEEDS_THE_FILE_NAME:
            assert expected == [] and found, f"{name}: expected the documented difference"
        else:
            assert found == expected, name


def test_readme_shows_the_editor_settings_that_are_tested() -> None:
    text = README.read_text(encoding="utf-8")
    for fragment in (
        "--stdin-display-name",
        '"args": ["--stdin-display-name", "${file}"]',
        "python-flymake-command '(\"flake8\" \"-\")",
        VSCODE_FORMAT.removeprefix("--format="),
    ):
        assert fragment in text, fragment


# -- configuration files ---------------------------------------------------------------------------
OPTIONS_SOURCE = """\
    from flask import Flask

    app = Flask(__name__)
    app.config["MY_SIGNING_SECRET"] = "d1e8a3c5b7f94e2a6c0b8d4f2a6e9c13"
    app.config["SECRET_KEY"] = "5f4dcc3b5aa765d61d8327deb882cf99"
    ADMIN_PIN = "8c1f33a9e2"
    SUPPORT_PASSCODE_HINT = "kitten"


    class SandboxConfig:
        DEBUG = True


    class DevelopmentConfig:
        DEBUG = True


    class ProductionConfig:
        DEBUG = True


    if __name__ == "__main__":
        app.run(host="0.0.0.0")
    """
OPTIONS_CONFIG = """\
    [flake8]
    extend-select = FKS
    extend-ignore = FKS105
    fks-signing-keys = MY_SIGNING_SECRET
    fks-credential-names =
        pin,
        hint
    fks-dev-config-names = sandbox
    per-file-ignores =
        legacy.py: FKS401
    """
WITHOUT_OPTIONS = {(4, "FKS402"), (5, "FKS401"), (11, "FKS102"), (19, "FKS102"), (23, "FKS105")}
WITH_OPTIONS = {(4, "FKS401"), (5, "FKS401"), (6, "FKS402"), (7, "FKS402"), (19, "FKS102")}


def codes_by_file(found: list[Reported]) -> dict[str, set[tuple[int, str]]]:
    by_file: dict[str, set[tuple[int, str]]] = {}
    for f in found:
        if f.code.startswith("FKS"):
            by_file.setdefault(Path(f.path).as_posix().removeprefix("./"), set()).add((f.line, f.code))
    return by_file


@pytest.mark.parametrize("config_file", ["setup.cfg", "tox.ini", ".flake8"])
def test_every_option_from_each_config_file(tmp_path: Path, config_file: str) -> None:
    write(tmp_path, {"app.py": OPTIONS_SOURCE, "legacy.py": OPTIONS_SOURCE})
    without = codes_by_file(parse(checked(run([FLAKE8, "--isolated", "--select=FKS", "."], cwd=tmp_path))))
    assert without == {"app.py": WITHOUT_OPTIONS, "legacy.py": WITHOUT_OPTIONS}

    write(tmp_path, {config_file: OPTIONS_CONFIG})
    found = codes_by_file(parse(checked(run([FLAKE8, "."], cwd=tmp_path))))
    assert found["app.py"] == WITH_OPTIONS
    assert found["legacy.py"] == {(line, code) for line, code in WITH_OPTIONS if code != "FKS401"}


@pytest.mark.parametrize("config_file", ["setup.cfg", "tox.ini", ".flake8"])
def test_extend_select_adds_fks_to_a_narrow_select(tmp_path: Path, config_file: str) -> None:
    write(tmp_path, {"app.py": OPTIONS_SOURCE, config_file: "[flake8]\nselect = E9\n"})
    assert codes_by_file(parse(checked(run([FLAKE8, "."], cwd=tmp_path)))) == {}
    write(tmp_path, {config_file: "[flake8]\nselect = E9\nextend-select = FKS401,FKS402\n"})
    found = codes_by_file(parse(checked(run([FLAKE8, "."], cwd=tmp_path))))
    assert found == {"app.py": {(line, code) for line, code in WITHOUT_OPTIONS if code in ("FKS401", "FKS402")}}


def test_readme_documents_every_fks_option(tmp_path: Path) -> None:
    """The README's option table lists exactly the ``--fks-*`` options flake8 knows."""
    help_text = checked(flake8("--help", cwd=tmp_path))
    registered = sorted(set(re.findall(r"(--fks-[a-z-]+)", help_text)))
    documented = sorted(set(re.findall(r"^\| `(--fks-[a-z-]+)`", README.read_text(encoding="utf-8"), re.M)))
    assert registered and documented == registered


# -- pre-commit and tox (network: they install from the package registry) --------------------------
FLAWED = {"app.py": """\
    from flask import Flask

    app = Flask(__name__)

    if __name__ == "__main__":
        app.run(debug=True)
    """}
CLEAN = {"app.py": """\
    import os

    from flask import Flask

    app = Flask(__name__)

    if __name__ == "__main__":
        app.run(debug=os.environ.get("FLASK_DEBUG") == "1")
    """}


def readme_block(heading: str, language: str) -> str:
    """The first ``language`` code block under the README heading ``heading``."""
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n{heading}\n")
    match = re.compile(rf"^```{language}\n(.*?)^```$", re.S | re.M).search(text, start)
    assert match, f"no ```{language} block under {heading!r}"
    return match[1]


def tool_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "TOX_", "VIRTUAL_ENV"))}
    env["PATH"] = os.pathsep.join([str(BIN), env.get("PATH", "")])
    env["HOME"] = str(home)  # no user-level configuration, fresh caches
    env["PRE_COMMIT_HOME"] = str(home / "pre-commit-cache")
    for name in ("PIP_CONFIG_FILE", "PIP_FIND_LINKS", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_CERT"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def git(*args: str, cwd: Path, env: dict[str, str]) -> None:
    result = run(["git", *args], cwd=cwd, env=env)
    assert result.returncode == 0, result.stderr


@pytest.mark.network
def test_pre_commit_hook_from_the_readme(tmp_path: Path) -> None:
    config = readme_block("### pre-commit", "yaml")
    assert "additional_dependencies: [flake8, flake8-flask-safety]" in config
    # pre-commit installs the hook's environment from the registry; the plugin comes from this checkout.
    local = config.replace("[flake8, flake8-flask-safety]", f"[flake8, '{ROOT.as_posix()}']")
    repo, home = tmp_path / "repo", tmp_path / "home"
    repo.mkdir()
    home.mkdir()
    env = tool_env(home)
    git("init", "-q", cwd=repo, env=env)
    git("config", "user.email", "ci@example.invalid", cwd=repo, env=env)
    git("config", "user.name", "CI", cwd=repo, env=env)
    write(repo, {".pre-commit-config.yaml": local, **FLAWED})
    git("add", ".", cwd=repo, env=env)
    pre_commit = [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color=never"]

    flawed = run(pre_commit, cwd=repo, env=env, timeout=900)
    assert flawed.returncode == 1, flawed.stdout + flawed.stderr
    assert re.search(r"^app\.py:6:\d+: FKS101 ", flawed.stdout, re.M), flawed.stdout + flawed.stderr
    assert "Failed" in flawed.stdout

    write(repo, CLEAN)
    git("add", ".", cwd=repo, env=env)
    clean = run(pre_commit, cwd=repo, env=env, timeout=900)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "FKS" not in clean.stdout and "Passed" in clean.stdout


@pytest.fixture(scope="module")
def plugin_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wheels = tmp_path_factory.mktemp("wheels")
    result = run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels),
                  str(ROOT)], cwd=wheels, timeout=600)
    assert result.returncode == 0, result.stderr
    assert len(list(wheels.glob("flake8_flask_safety-*.whl"))) == 1
    return wheels


@pytest.mark.network
def test_tox_lint_environment_from_the_readme(tmp_path: Path, plugin_wheel: Path) -> None:
    snippet = readme_block("### tox", "ini")
    assert snippet.startswith("[testenv:lint]\n")
    project, home = tmp_path / "project", tmp_path / "home"
    home.mkdir()
    write(project, {**FLAWED, "tox.ini": snippet})
    env = tool_env(home)
    # The README's snippet unchanged: pip finds "flake8-flask-safety" as a wheel built from this checkout.
    env["PIP_FIND_LINKS"] = " ".join(filter(None, [str(plugin_wheel), os.environ.get("PIP_FIND_LINKS")]))
    tox = [sys.executable, "-m", "tox", "run", "-e", "lint"]

    flawed = run(tox, cwd=project, env=env, timeout=900)
    assert flawed.returncode != 0, flawed.stdout + flawed.stderr
    assert re.search(r"^\./app\.py:6:\d+: FKS101 ", flawed.stdout, re.M), flawed.stdout + flawed.stderr

    write(project, CLEAN)
    clean = run(tox, cwd=project, env=env, timeout=900)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "FKS" not in clean.stdout


def test_git_is_available_for_the_pre_commit_test() -> None:
    assert shutil.which("git"), "the pre-commit test needs git"
