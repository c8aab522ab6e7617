"""The HTTP-method model and the FKS2xx/FKS601 messages, on small sources."""

from __future__ import annotations

import textwrap

import pytest
from astroid import nodes

from flake8_flask_safety.model import FlaskFile
from flake8_flask_safety.model.methods import methods_value_problem
from flake8_flask_safety.options import Options
from flake8_flask_safety.rules import methods


def model_of(source: str) -> FlaskFile:
    return FlaskFile.from_source(textwrap.dedent(source), "app.py")


def findings(source: str) -> list[tuple[int, str, str]]:
    file = model_of(source)
    return sorted((f.line, f.code, f.message) for f in methods.check(file, Options()))


def methods_at_marker(source: str) -> frozenset[str] | None:
    """Methods reaching the call ``here()`` in the only view of ``source``."""
    file = model_of(source)
    (view,) = list(file.view_methods.function_views())
    (marker,) = [c for c in file.index.calls if isinstance(c.func, nodes.Name) and c.func.name == "here"]
    return file.view_methods.methods_at(view, marker)


VIEW = """\
from flask import Flask, request
app = Flask(__name__)

@app.route("/", methods={methods})
def view(form):
{body}
"""


def view(methods: str, body: str) -> str:
    return VIEW.format(methods=methods, body=textwrap.indent(textwrap.dedent(body), "    "))


@pytest.mark.parametrize(
    ("route_methods", "body", "reaching"),
    [
        ('["GET"]', "here()", {"GET", "HEAD"}),
        ('["GET", "POST"]', "here()", {"GET", "HEAD", "POST"}),
        ('["get", "post"]', 'if request.method == "POST":\n    here()', {"POST"}),
        ('["GET", "POST"]', 'if request.method != "POST":\n    here()', {"GET", "HEAD"}),
        (
            '["GET", "POST", "PUT"]',
            'if request.method in ("POST", "PUT"):\n    pass\nelse:\n    here()',
            {"GET", "HEAD"},
        ),
        ('["GET", "POST"]', 'if request.method == "GET":\n    return 1\nhere()', {"HEAD", "POST"}),
        ('["GET", "POST"]', "if form.validate_on_submit():\n    here()", {"POST"}),
        ('["GET", "POST"]', 'if request.method == "POST" and form.validate():\n    here()', {"POST"}),
        ('["GET", "POST"]', 'if not request.method == "POST":\n    here()', {"GET", "HEAD"}),
        ('["GET", "POST"]', 'if request.method == "post":\n    here()', set()),
        ('["GET", "POST"]', 'if form.ok:\n    abort(400)\nhere()', {"GET", "HEAD", "POST"}),
        ("METHODS", "here()", None),
    ],
)
def test_methods_reaching_a_branch(route_methods: str, body: str, reaching: set[str] | None) -> None:
    found = methods_at_marker(view(route_methods, body))
    assert found == (None if reaching is None else frozenset(reaching))


def test_stacked_routes_accept_the_union() -> None:
    source = """\
    from flask import Flask
    app = Flask(__name__)

    @app.get("/a")
    @app.route("/b", methods=["DELETE"])
    def both():
        here()
    """
    assert methods_at_marker(source) == frozenset({"GET", "HEAD", "DELETE"})


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("POST", "is a string"),
        (["GET", "PSOT"], "'PSOT'"),
        (["get", "post"], None),
        (("PROPFIND",), None),
        (["GET"], None),
    ],
)
def test_methods_value_problem(value: object, problem: str | None) -> None:
    found = methods_value_problem(value)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def test_fks201_message_says_why() -> None:
    get_only = findings(view('["GET"]', 'return request.form["x"]'))
    assert [(code, "405" in message) for _, code, message in get_only] == [("FKS201", True)]
    get_branch = findings(view('["GET", "POST"]', 'if request.method == "GET":\n    return request.form["x"]'))
    assert [(code, "carries no body" in message) for _, code, message in get_branch] == [("FKS201", True)]


def test_fks202_message_for_lower_case() -> None:
    found = findings(view('["GET", "POST"]', 'if request.method == "post":\n    return 1'))
    assert [(code, "always upper-case" in message) for _, code, message in found] == [("FKS202", True)]


def test_fks203_silences_fks201_and_fks202_for_its_view() -> None:
    found = findings(view('["GET", "PSOT"]', 'if request.method == "POST":\n    return request.form["x"]'))
    assert [code for _, code, _ in found] == ["FKS203"]


def test_fks601_names_the_state_change() -> None:
    source = view(
        '["POST"]',
        """\
        cursor.execute("update stock set n = n - 1")
        return render_template("done.html")
        """,
    ).replace("import Flask, request", "import Flask, render_template, request")
    found = findings(source)
    assert [(code, "UPDATE statement" in message) for _, code, message in found] == [("FKS601", True)]


def test_flask_session_is_not_a_database() -> None:
    source = """\
    from flask import Flask, session
    app = Flask(__name__)

    @app.route("/")
    def view():
        session.add(1)
        session.commit()
        return ""
    """
    assert findings(source) == []
