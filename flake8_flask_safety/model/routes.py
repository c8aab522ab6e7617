"""Routes: every way a view gets registered on an app or blueprint."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any, NamedTuple

from astroid import nodes

from .build import look_up
from .values import UNKNOWN

if TYPE_CHECKING:
    from .flask_file import FlaskFile

# Route decorators and the single method each shortcut stands for (None: given by methods=).
ROUTE_DECORATORS: dict[str, str | None] = {
    "route": None, "get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE",
}
_ROUTE_REGISTRATIONS = frozenset({*ROUTE_DECORATORS, "add_url_rule"})
VIEW_BASES = frozenset({"flask.views.MethodView", "flask.views.View"})


class Route(NamedTuple):
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
    for call in file.index.calls_named(_ROUTE_REGISTRATIONS):
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


# -- rules, endpoints and view signatures ---------------------------------------------------
# Werkzeug's rule syntax: ``<name>``, ``<converter:name>``, ``<converter(args):name>``.
_RULE_VARIABLE = re.compile(
    r"<(?:(?P<converter>[a-zA-Z_][a-zA-Z0-9_]*)(?:\((?P<args>[^)]*)\))?:)?(?P<name>[a-zA-Z_][a-zA-Z0-9_]*)>"
)
BUILTIN_CONVERTERS = frozenset({"default", "string", "any", "path", "int", "float", "uuid"})
STRING_CONVERTERS = frozenset({"default", "string"})


class RuleVariable(NamedTuple):
    name: str
    converter: str  # "default" when the rule names none
    offset: int  # position of the ``<`` in the rule text


@functools.lru_cache(maxsize=1024)  # the rules of a project repeat; several rules ask per route
def rule_variables(rule: str) -> tuple[RuleVariable, ...]:
    return tuple(
        RuleVariable(match["name"], match["converter"] or "default", match.start())
        for match in _RULE_VARIABLE.finditer(rule)
    )


def route_variables(route: Route) -> tuple[RuleVariable, ...] | None:
    """Variables of the route's rule, or None when the rule is not known at lint time."""
    return None if route.rule is None else rule_variables(route.rule)


def rule_argument(file: FlaskFile, route: Route) -> nodes.NodeNG | None:
    """The expression that gives the route its rule (the decorator's or add_url_rule's first argument)."""
    found = file.values.argument(route.node, 0, "rule")
    return None if found is None else found[1]


def has_unknown_keywords(file: FlaskFile, route: Route) -> bool:
    """The registration passes ``**options`` whose keys are not known at lint time."""
    return file.values.keyword_items(route.node) is None


def route_keyword(file: FlaskFile, route: Route, keyword: str) -> nodes.NodeNG | None:
    found = file.values.argument(route.node, None, keyword)
    return None if found is None else found[1]


def view_name(file: FlaskFile, route: Route) -> str | None:
    """``__name__`` of the registered view: the function's name, or the name given to ``as_view``."""
    func = route.node.func
    if isinstance(func, nodes.Attribute) and func.attrname == "add_url_rule":
        found = file.values.argument(route.node, 2, "view_func")
        if found is None:
            return None
        view = found[1]
        if isinstance(view, nodes.Call) and isinstance(view.func, nodes.Attribute):
            if view.func.attrname == "as_view":
                name = _argument_value(file, view, 0, "name")
                return name if isinstance(name, str) else None
            return None
        if isinstance(route.view, nodes.FunctionDef):
            return route.view.name
        return None
    return route.view.name if isinstance(route.view, nodes.FunctionDef) else None


def local_endpoint(file: FlaskFile, route: Route) -> str | None:
    """The endpoint Flask gives the route inside its app or blueprint (``endpoint=`` or the view's name)."""
    if route.endpoint is not None:
        return route.endpoint
    if route_keyword(file, route, "endpoint") is not None or has_unknown_keywords(file, route):
        return None  # given, but not known at lint time
    func = route.node.func
    if isinstance(func, nodes.Attribute) and func.attrname == "add_url_rule":
        found = file.values.argument(route.node, 1, "endpoint")
        if found is not None and not (isinstance(found[1], nodes.Const) and found[1].value is None):
            return None
    return view_name(file, route)


def owner_key(route: Route) -> tuple[object, str]:
    """Identifies the app or blueprint object a route is registered on, as far as the text shows."""
    owner = route.owner
    if isinstance(owner, nodes.Name):
        scope, bindings = look_up(owner)
        if len(bindings) == 1:
            return (id(bindings[0]), owner.name)
        return (id(scope), owner.name)
    return (id(route.node.scope()), owner.as_string())


def created_blueprint(file: FlaskFile, owner: nodes.NodeNG) -> nodes.Call | None:
    """The ``Blueprint(...)`` call of this module that builds ``owner``, if the text shows one."""
    origin = file.values.origin(owner)
    if isinstance(origin, nodes.Call) and file.names.is_one_of(origin.func, _BLUEPRINT):
        return origin
    return None


def blueprint_name(file: FlaskFile, owner: nodes.NodeNG) -> str | None:
    call = created_blueprint(file, owner)
    if call is None:
        return None
    name = _argument_value(file, call, 0, "name")
    return name if isinstance(name, str) else None


_BLUEPRINT = frozenset({"flask.Blueprint"})


class Signature(NamedTuple):
    """The parameters Flask can fill from a rule, as keyword arguments."""

    names: frozenset[str]  # parameters that accept a keyword
    required: frozenset[str]  # of those, the ones without a default
    any_keyword: bool  # ``**kwargs``
    positional_only: frozenset[str]


def view_signature(function: nodes.FunctionDef) -> Signature:
    args = function.args
    posonly = list(args.posonlyargs or [])
    positional = posonly + list(args.args or [])
    defaults_from = len(positional) - len(args.defaults or [])
    names: set[str] = set()
    required: set[str] = set()
    for index, param in enumerate(positional):
        if index >= len(posonly):
            names.add(param.name)
        if index < defaults_from:
            required.add(param.name)
    for param, default in zip(args.kwonlyargs or [], args.kw_defaults or []):
        names.add(param.name)
        if default is None:
            required.add(param.name)
    return Signature(
        frozenset(names), frozenset(required), args.kwarg is not None, frozenset(p.name for p in posonly)
    )
