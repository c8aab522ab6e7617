"""The route model the FKS6xx/FKS7xx rules read: rule variables, endpoints, view signatures."""

from __future__ import annotations

import textwrap

from flake8_flask_safety.model import FlaskFile
from flake8_flask_safety.model.routes import (
    blueprint_name,
    local_endpoint,
    rule_variables,
    view_signature,
)


def model(source: str) -> FlaskFile:
    return FlaskFile.from_source(textwrap.dedent(source), "app.py")


def test_rule_variables_and_converters() -> None:
    found = rule_variables("/a/<x>/<int:y>/<string(length=2):z>/<any(a, b):w>/<slug:s>")
    assert [(v.name, v.converter) for v in found] == [
        ("x", "default"), ("y", "int"), ("z", "string"), ("w", "any"), ("s", "slug"),
    ]
    assert rule_variables("/static/plain") == ()


def test_endpoints_of_every_registration_shape() -> None:
    file = model(
        """
        from flask import Blueprint, Flask
        from flask.views import MethodView

        app = Flask(__name__)
        bp = Blueprint("shop", __name__)

        class Items(MethodView):
            def get(self):
                return "x"

        @app.route("/")
        def index():
            return "i"

        @bp.route("/p", endpoint="products")
        def listing():
            return "p"

        def show():
            return "s"

        app.add_url_rule("/s", view_func=show)
        app.add_url_rule("/n", "named", show)
        app.add_url_rule("/items", view_func=Items.as_view("items"))
        app.add_url_rule("/u", ENDPOINT, show)
        """
    )
    endpoints = [local_endpoint(file, route) for route in file.routes]
    assert endpoints == ["index", "products", "show", "named", "items", None]
    assert blueprint_name(file, file.routes[1].owner) == "shop"
    assert blueprint_name(file, file.routes[0].owner) is None


def test_view_signature() -> None:
    file = model(
        """
        def view(a, b=1, *args, c, d=2, **rest):
            pass

        def positional(a, /, b):
            pass
        """
    )
    view, positional = file.index.functions
    signature = view_signature(view)
    assert signature.names == {"a", "b", "c", "d"}
    assert signature.required == {"a", "c"}
    assert signature.any_keyword
    other = view_signature(positional)
    assert other.positional_only == {"a"} and other.names == {"b"} and not other.any_keyword
