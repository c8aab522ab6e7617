"""Routes: every way a view gets registered on an app or blueprint."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from astroid import nodes

from .values import UNKNOWN

if TYPE_CHECKING:
    from .flask_file import FlaskFile

# Route decorators and the single method each shortcut stands for (None: given by methods=).
ROUTE_DECORATORS: dict[str, str | None] = {
    "route": None, "get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE",
}
VIEW_BASES = frozenset({"flask.views.MethodView", "flask.views.View"})


@dataclass(frozen=True)
class Route:
    owner: nodes.NodeNG  # the app or blueprint expression the route is registered on
    node: nodes.Call  # the decorator call or add_url_rule call
    rule: str | None
    methods: frozenset[str] | None  # upper-cased; None when not known at lint time
    methods_value: Any  # the methods= value as written (UNKNOWN when not known), for validation
    methods_node: nodes.NodeNG | None
    endpoint: str | None
    view: nodes.FunctionDef | nodes.ClassDef | None
    defaults: dict[str, nodes.NodeNG] | None  # None when absent or not known


def extract_routes(file: FlaskFile) -> list[Route]:
    routes: list[Route] = []
    for call in file.index.calls:
        func = call.func
        if not isinstance(func, nodes.Attribute):
            continue
        if func.attrname in ROUTE_DECORATORS:
            view = _decorates(call)
            if view is not None and file.objects.is_route_owner(func.expr):
                routes.append(_decorator_route(file, call, view))
        elif func.attrname == "add_url_rule" and file.objects.is_route_owner(func.expr):
            routes.append(_add_url_rule_route(file, call))
    return routes


def _decorates(call: nodes.Call) -> nodes.FunctionDef | None:
    parent = call.parent
    if isinstance(parent, nodes.Decorators) and isinstance(parent.parent, nodes.FunctionDef):
        return parent.parent
    return None


def _decorator_route(file: FlaskFile, call: nodes.Call, view: nodes.FunctionDef | None) -> Route:
    shortcut = ROUTE_DECORATORS[call.func.attrname]  # type: ignore[attr-defined]
    rule = _argument_value(file, call, 0, "rule")
    methods_arg = file.values.argument(call, None, "methods")
    if shortcut is not None:
        methods_value: Any = [shortcut]
        methods_node = call.func
    elif methods_arg is None:
        methods_value, methods_node = ["GET"], None
    else:
        methods_node, value_node = methods_arg
        methods_value = file.values.value(value_node)
    return Route(
        owner=call.func.expr,  # type: ignore[attr-defined]
        node=call,
        rule=rule if isinstance(rule, str) else None,
        methods=_normalise_methods(methods_value),
        methods_value=methods_value,
        methods_node=methods_node,
        endpoint=_optional_str(_argument_value(file, call, None, "endpoint")),
        view=view,
        defaults=_defaults(file, call),
    )


def _add_url_rule_route(file: FlaskFile, call: nodes.Call) -> Route:
    rule = _argument_value(file, call, 0, "rule")
    endpoint = _argument_value(file, call, 1, "endpoint")
    view_arg = file.values.argument(call, 2, "view_func")
    methods_arg = file.values.argument(call, None, "methods")
    if methods_arg is None:
        methods_value: Any = ["GET"]
        methods_node = None
    else:
        methods_node, value_node = methods_arg
        methods_value = file.values.value(value_node)
    view = _view_definition(view_arg[1]) if view_arg else None
    methods = _normalise_methods(methods_value)
    if isinstance(view, nodes.ClassDef) and methods_arg is None:
        methods = None  # a class-based view's methods come from the class
    return Route(
        owner=call.func.expr,  # type: ignore[attr-defined]
        node=call,
        rule=rule if isinstance(rule, str) else None,
        methods=methods,
        methods_value=methods_value,
        methods_node=methods_node,
        endpoint=_optional_str(endpoint),
        view=view,
        defaults=_defaults(file, call),
    )


def _view_definition(node: nodes.NodeNG) -> nodes.FunctionDef | nodes.ClassDef | None:
    if isinstance(node, nodes.Call) and isinstance(node.func, nodes.Attribute):
        if node.func.attrname == "as_view":
            node = node.func.expr
    if isinstance(node, nodes.Name):
        _, bindings = node.lookup(node.name)
        if len(bindings) == 1 and isinstance(bindings[0], (nodes.FunctionDef, nodes.ClassDef)):
            return bindings[0]
    return None


def _argument_value(file: FlaskFile, call: nodes.Call, position: int | None, keyword: str) -> Any:
    found = file.values.argument(call, position, keyword)
    return UNKNOWN if found is None else file.values.value(found[1])


def _defaults(file: FlaskFile, call: nodes.Call) -> dict[str, nodes.NodeNG] | None:
    found = file.values.argument(call, None, "defaults")
    if found is None:
        return None
    items = file.values.mapping_items(found[1])
    return None if items is None else {key: value for key, (_, value) in items.items()}


def _normalise_methods(value: Any) -> frozenset[str] | None:
    if isinstance(value, (list, tuple, set, frozenset)) and all(isinstance(m, str) for m in value):
        return frozenset(m.upper() for m in value)
    return None


def _optional_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None
