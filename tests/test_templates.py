"""Template files and the request-data flow: lookup boundaries, the scanner, caching, no Jinja2.

Most checks run the real flake8 on small projects written to a temporary directory (the
directory flake8 runs in is the project root, as for a user).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flake8_flask_safety.model.request_data import parse_rule_variables
from flake8_flask_safety.model.templates import safe_name, scan
from flake8_run import lint, write

VIEW = """\
from flask import Flask, render_template, request

app = Flask(__name__{folder})


@app.route("/search")
def search():
    return render_template({name!r}, query=request.args.get("q"))
"""
VIEW_LINE = 8


def fks504(root: Path, target: str = "app.py") -> list[int]:
    return [f.line for f in lint(target, select="FKS504", cwd=root)]


def test_template_beside_the_module_is_found(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": VIEW.format(folder="", name="search.html"),
                     "templates/search.html": "<h1>{{ query|safe }}</h1>"})
    assert fks504(tmp_path) == [VIEW_LINE]


def test_custom_template_folder(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": VIEW.format(folder=', template_folder="pages"', name="a/search.html"),
                     "pages/a/search.html": "{% autoescape false %}{{ query }}{% endautoescape %}",
                     "templates/a/search.html": "{{ query }}"})
    assert fks504(tmp_path) == [VIEW_LINE]


def test_escaped_in_template_is_silent(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": VIEW.format(folder="", name="search.html"),
                     "templates/search.html": "<h1>{{ query }}</h1>{{ query|e|safe }}"})
    assert fks504(tmp_path) == []


def test_template_folder_outside_the_project_is_never_read(tmp_path: Path) -> None:
    project = tmp_path / "project"
    write(tmp_path, {"outside/search.html": "{{ query|safe }}"})
    write(project, {"app.py": VIEW.format(folder=', template_folder="../outside"', name="search.html")})
    assert fks504(project) == []


def test_symlink_out_of_the_project_is_never_read(tmp_path: Path) -> None:
    project = tmp_path / "project"
    write(tmp_path, {"outside/search.html": "{{ query|safe }}"})
    write(project, {"app.py": VIEW.format(folder="", name="search.html")})
    (project / "templates").mkdir()
    try:
        (project / "templates" / "search.html").symlink_to(tmp_path / "outside" / "search.html")
    except OSError:
        pytest.skip("symlinks not available")
    assert fks504(project) == []


@pytest.mark.parametrize("name", ["../secret.html", "/etc/passwd", "a/../../secret.html", "a\\b.html", ""])
def test_unsafe_names_are_refused(name: str) -> None:
    assert not safe_name(name)


def test_extends_cycle_and_include_depth(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": VIEW.format(folder="", name="a.html"),
                     "templates/a.html": '{% extends "b.html" %}',
                     "templates/b.html": '{% extends "a.html" %}{% include "c.html" %}',
                     "templates/c.html": '{% include "a.html" %}{{ query|safe }}'})
    assert fks504(tmp_path) == [VIEW_LINE]


@pytest.mark.parametrize(
    "text",
    [
        "{{ query|safe ",  # unterminated expression
        "{% if x %}{{ query|safe }}",  # unclosed block
        "{% endfor %}{{ query|safe }}",  # stray end tag
        "\xff\xfe not utf-8",
    ],
)
def test_invalid_templates_give_no_finding(tmp_path: Path, text: str) -> None:
    write(tmp_path, {"app.py": VIEW.format(folder="", name="search.html")})
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "search.html").write_bytes(text.encode("latin-1"))
    assert fks504(tmp_path) == []


def test_template_that_is_a_directory_gives_no_finding(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": VIEW.format(folder="", name="search.html")})
    (tmp_path / "templates" / "search.html").mkdir(parents=True)
    assert fks504(tmp_path) == []


def test_scanner_follows_loops_and_sets() -> None:
    facts = scan("{% for row in rows %}{% set cell = row %}{{ cell|safe }}{% endfor %}")
    assert facts is not None and facts.raw_variables == {"rows"}


def test_scanner_accepts_extension_blocks() -> None:
    facts = scan('{% assets "js" %}<script src="{{ ASSET_URL }}"></script>{% endassets %}{{ a|safe }}')
    assert facts is not None and facts.raw_variables == {"a"}


def test_scanner_ignores_raw_blocks_and_comments() -> None:
    facts = scan("{% raw %}{{ a|safe }}{% endraw %}{# {{ b|safe }} #}{{ c }}")
    assert facts is not None and facts.raw_variables == set()


def test_scanner_is_linear_on_hostile_input() -> None:
    assert scan("{{" * 20_000) is None
    assert scan("{% if x %}" * 20_000) is None


def test_route_rule_variables() -> None:
    assert parse_rule_variables("/u/<name>/<int:id>/<path:rest>/<uuid:key>/<string(length=2):code>") == {
        "name": "", "rest": "path", "code": "string",
    }


def test_cache_sees_a_changed_template(tmp_path: Path) -> None:
    """One process lints twice; the template changes in between (size and mtime differ)."""
    write(tmp_path, {"app.py": VIEW.format(folder="", name="search.html"),
                     "templates/search.html": "<h1>{{ query }}</h1>"})
    script = textwrap.dedent(
        """
        import os, sys
        from flake8_flask_safety.plugin import analyse
        from flake8_flask_safety.options import Options
        source = open("app.py").read()
        first = [m for _, _, m in analyse(source, "app.py", Options())]
        with open("templates/search.html", "w") as handle:
            handle.write("<h1>{{ query|safe }}</h1> changed")
        os.utime("templates/search.html", ns=(1, 10**18))
        second = [m for _, _, m in analyse(source, "app.py", Options())]
        print(len(first), len(second), "jinja2" in sys.modules)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0", "1", "False"]


def test_messages_say_where_the_data_came_from(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": """\
        from flask import Flask, redirect, request

        app = Flask(__name__)


        @app.route("/hello/<name>")
        def hello(name):
            return f"<p>{name}</p>"


        @app.route("/back")
        def back():
            return redirect(request.headers.get("Referer"))
        """})
    found = {f.code: f.text for f in lint("app.py", cwd=tmp_path)}
    assert "from route variable 'name'" in found["FKS505"]
    assert "from request.headers" in found["FKS603"]
