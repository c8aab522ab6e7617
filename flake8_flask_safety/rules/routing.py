"""FKS7xx: routing and views: rule variables, converters, endpoints and view return values."""

from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from astroid import nodes

from ..model import FlaskFile
from ..model.index import enclosing_function
from ..model.routes import (
    BUILTIN_CONVERTERS,
    STRING_CONVERTERS,
    Route,
    Signature,
    created_blueprint,
    has_unknown_keywords,
    local_endpoint,
    owner_key,
    route_keyword,
    route_variables,
    rule_argument,
    view_signature,
)
from ..options import Options
from . import Finding

MESSAGES = {
    "FKS701": "route variable {name!r} has no converter but the view {how}: use <{suggest}:{name}> so bad "
    "input gets a 404 before the view runs",
    "FKS702": "view {view!r} does not match rule {rule!r}: {problem}; Flask raises TypeError on every request",
    "FKS703": "unknown converter {converter!r} in rule {rule!r}: Flask raises LookupError at start-up",
    "FKS704": "{what} already registered on {owner} at line {line}: {consequence}",
    "FKS705": "view {view!r} {how}: Flask raises TypeError and answers 500",
}

# Decorators that hand the route's keyword arguments through unchanged and return the view's value.
_PASS_THROUGH = frozenset(
    {
        "login_required", "fresh_login_required", "cross_origin", "exempt", "limit", "shared_limit",
        "cached", "memoize", "jwt_required", "roles_required", "roles_accepted", "auth_required",
        "permissions_required", "permissions_accepted", "http_auth_required", "auth_token_required",
    }
)
_NUMBER_CONVERSIONS = {"builtins.int": "int", "builtins.float": "float", "uuid.UUID": "uuid"}
_INPUT_ERRORS = frozenset({"ValueError", "Exception", "BaseException", "TypeError"})
_DIGIT_CHECKS = frozenset({"isdigit", "isdecimal", "isnumeric"})
_EXITS = frozenset({"sys.exit", "os._exit", "os.abort", "exit", "quit"})
_NO_RETURN = frozenset({"NoReturn", "Never"})


def check(file: FlaskFile, options: Options) -> Iterator[Finding]:
    if file.is_test_module:
        return  # tests register throwaway views, often broken on purpose
    routes = [route for route in file.routes if route.rule is not None or route.view is not None]
    if not routes:
        return
    views = _routes_by_view(routes)
    inside: _ViewNodes | None = None
    preprocessed = _has_url_value_preprocessor(file) if views else False
    for view, view_routes in views.items():
        if _has_string_variables(view, view_routes):
            inside = inside or _ViewNodes(file, set(views))
            yield from _converted_variables(file, view, view_routes, inside)
        finding = _signature_mismatch(file, view, view_routes, preprocessed)
        if finding is not None:
            yield finding
        finding = _missing_response(file, view, view_routes)
        if finding is not None:
            yield finding
    yield from _unknown_converters(file, routes)
    yield from _duplicate_registrations(file, routes)


class _ViewNodes:
    """Calls and comparisons grouped by the function that directly contains them (one pass each)."""

    def __init__(self, file: FlaskFile, views: set[nodes.FunctionDef]) -> None:
        self.calls: dict[int, list[nodes.Call]] = defaultdict(list)
        self.compares: dict[int, list[nodes.Compare]] = defaultdict(list)
        wanted = {id(view) for view in views}
        for call in file.index.calls:
            owner = id(enclosing_function(call))
            if owner in wanted:
                self.calls[owner].append(call)
        for compare in file.index.compares:
            owner = id(enclosing_function(compare))
            if owner in wanted:
                self.compares[owner].append(compare)


def _routes_by_view(routes: list[Route]) -> dict[nodes.FunctionDef, list[Route]]:
    views: dict[nodes.FunctionDef, list[Route]] = defaultdict(list)
    for route in routes:
        if isinstance(route.view, nodes.FunctionDef):
            views[route.view].append(route)
    return views


# -- decorators between the route and the function ------------------------------------------------
def _decorator_name(decorator: nodes.NodeNG) -> str:
    target = decorator.func if isinstance(decorator, nodes.Call) else decorator
    if isinstance(target, nodes.Attribute):
        return target.attrname
    return target.name if isinstance(target, nodes.Name) else ""


def _wrapping_decorators(view: nodes.FunctionDef, routes: list[Route]) -> list[nodes.NodeNG]:
    """Decorators applied to the function before some route registers it (those below a route)."""
    if view.decorators is None:
        return []
    decorators = list(view.decorators.nodes)
    route_calls = {id(route.node) for route in routes}
    registered_by_decorator = [i for i, d in enumerate(decorators) if id(d) in route_calls]
    if any(not _is_decorator_route(route) for route in routes) or not registered_by_decorator:
        first = -1  # add_url_rule registers the fully decorated function
    else:
        first = registered_by_decorator[0]
    return [d for i, d in enumerate(decorators) if i > first and id(d) not in route_calls]


def _is_decorator_route(route: Route) -> bool:
    return isinstance(route.node.parent, nodes.Decorators)


def _keeps_arguments(view: nodes.FunctionDef, routes: list[Route]) -> bool:
    return all(_decorator_name(d) in _PASS_THROUGH for d in _wrapping_decorators(view, routes))


def _keeps_return_value(view: nodes.FunctionDef, routes: list[Route]) -> bool:
    for decorator in _wrapping_decorators(view, routes):
        name = _decorator_name(decorator)
        if name not in _PASS_THROUGH and not name.endswith(("_required", "_accepted")):
            return False
    return True


# -- FKS701: a string variable the view converts itself ------------------------------------------
def _string_parameters(view: nodes.FunctionDef, routes: list[Route]) -> dict[str, nodes.AssignName]:
    string_variables: set[str] = set()
    for route in routes:
        for variable in route_variables(route) or ():
            if variable.converter in STRING_CONVERTERS:
                string_variables.add(variable.name)
    params = {param.name: param for param in view.args.args or []}
    return {name: params[name] for name in string_variables if name in params}


def _has_string_variables(view: nodes.FunctionDef, routes: list[Route]) -> bool:
    return bool(_string_parameters(view, routes))


def _converted_variables(
    file: FlaskFile, view: nodes.FunctionDef, routes: list[Route], inside: _ViewNodes
) -> Iterator[Finding]:
    candidates = _string_parameters(view, routes)
    calls = inside.calls.get(id(view), [])
    checked = _digit_checked(calls)
    for call in calls:
        if not call.args:
            continue
        conversion = _NUMBER_CONVERSIONS.get(file.names.qualified_name(call.func) or _builtin(call.func), "")
        name = _parameter_used(call.args[0], candidates)
        if conversion and name and name not in checked and not _handles_bad_input(call, view):
            how = f"converts it with {call.func.as_string()}()"
            suggest = conversion
            yield Finding.at(call, "FKS701", MESSAGES["FKS701"].format(name=name, how=how, suggest=suggest))
    for compare in inside.compares.get(id(view), []):
        found = _number_comparison(compare, candidates)
        if found and found[0] not in checked:
            name, number = found
            how = f"compares it with the number {number!r}"
            suggest = "float" if isinstance(number, float) else "int"
            yield Finding.at(compare, "FKS701", MESSAGES["FKS701"].format(name=name, how=how, suggest=suggest))


def _builtin(func: nodes.NodeNG) -> str:
    """``int``/``float`` not shadowed by a binding of the file."""
    if isinstance(func, nodes.Name) and func.name in ("int", "float"):
        scope, bindings = func.lookup(func.name)
        if not bindings or (isinstance(scope, nodes.Module) and scope.name == "builtins"):
            return f"builtins.{func.name}"
    return ""


def _parameter_used(node: nodes.NodeNG, candidates: dict[str, nodes.AssignName]) -> str | None:
    """The name of a candidate parameter that ``node`` reads, if it still holds the route's value."""
    if not isinstance(node, nodes.Name) or node.name not in candidates:
        return None
    _, bindings = node.lookup(node.name)
    return node.name if list(bindings) == [candidates[node.name]] else None


def _number_comparison(
    compare: nodes.Compare, candidates: dict[str, nodes.AssignName]
) -> tuple[str, int | float] | None:
    operands = [compare.left] + [right for _, right in compare.ops]
    names = [name for name in (_parameter_used(o, candidates) for o in operands) if name]
    numbers = [
        o.value for o in operands
        if isinstance(o, nodes.Const) and isinstance(o.value, (int, float)) and not isinstance(o.value, bool)
    ]
    if not names or not numbers:
        return None
    if any(op in ("in", "not in", "is", "is not") for op, _ in compare.ops):
        return None
    return names[0], numbers[0]


def _digit_checked(calls: list[nodes.Call]) -> set[str]:
    """Parameters the view validates itself (``x.isdigit()``) before converting them."""
    return {
        call.func.expr.name
        for call in calls
        if isinstance(call.func, nodes.Attribute)
        and call.func.attrname in _DIGIT_CHECKS
        and isinstance(call.func.expr, nodes.Name)
    }


def _handles_bad_input(node: nodes.NodeNG, view: nodes.FunctionDef) -> bool:
    """Inside a ``try`` whose handlers catch the ValueError a failed conversion raises."""
    child, parent = node, node.parent
    while parent is not None and parent is not view:
        if isinstance(parent, nodes.Try) and child in parent.body:
            if any(_catches_input_error(handler) for handler in parent.handlers):
                return True
        child, parent = parent, parent.parent
    return False


def _catches_input_error(handler: nodes.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    caught = handler.type.elts if isinstance(handler.type, nodes.Tuple) else [handler.type]
    return any(_decorator_name(c) in _INPUT_ERRORS for c in caught)


# -- FKS702: rule variables and view parameters disagree -----------------------------------------
def _signature_mismatch(
    file: FlaskFile, view: nodes.FunctionDef, routes: list[Route], preprocessed: bool
) -> Finding | None:
    signature = view_signature(view)
    if signature.positional_only or _is_method(view):
        return None
    for route in routes:
        supplied = _supplied_names(file, route)
        if supplied is None:
            continue
        problem = _parameter_problem(file, route, signature, supplied, preprocessed)
        if problem is not None:
            # A decorator below the route may change the arguments; asked only when there is something to report.
            return _fks702(view, route, problem) if _keeps_arguments(view, routes) else None
    return None


def _parameter_problem(
    file: FlaskFile, route: Route, signature: Signature, supplied: set[str], preprocessed: bool
) -> str | None:
    unexpected = sorted(supplied - signature.names)
    if unexpected and not signature.any_keyword and not preprocessed:
        return f"it has no parameter {unexpected[0]!r}"
    missing = sorted(signature.required - supplied)
    if missing and _owner_adds_nothing(file, route):
        return f"nothing supplies its parameter {missing[0]!r}"
    return None


def _at_def(view: nodes.FunctionDef, code: str, message: str) -> Finding:
    """A finding on the ``def`` line itself (astroid numbers a decorated function from its first
    decorator; ``fromlineno`` counts the decorators' lines to reach the ``def``)."""
    return Finding(view.fromlineno or 1, view.col_offset or 0, code, message)


def _fks702(view: nodes.FunctionDef, route: Route, problem: str) -> Finding:
    return _at_def(view, "FKS702", MESSAGES["FKS702"].format(view=view.name, rule=route.rule, problem=problem))


def _is_method(view: nodes.FunctionDef) -> bool:
    return isinstance(view.parent, nodes.ClassDef)


def _supplied_names(file: FlaskFile, route: Route) -> set[str] | None:
    """Keyword arguments Flask passes the view for this route: rule variables and ``defaults=``."""
    variables = route_variables(route)
    if variables is None or has_unknown_keywords(file, route):
        return None
    if route_keyword(file, route, "subdomain") is not None or route_keyword(file, route, "host") is not None:
        return None
    supplied = {variable.name for variable in variables}
    if route_keyword(file, route, "defaults") is not None:
        if route.defaults is None:
            return None
        supplied.update(route.defaults)
    return supplied


def _owner_adds_nothing(file: FlaskFile, route: Route) -> bool:
    """The app or blueprint adds no values of its own (url_prefix or subdomain variables, url_defaults)."""
    kind = file.objects.kind_of(route.owner)
    if kind == "app":
        return True
    blueprint = created_blueprint(file, route.owner)
    if blueprint is None:
        return False
    items = file.values.keyword_items(blueprint)
    if items is None or "url_defaults" in items or "subdomain" in items:
        return False
    if not _prefix_without_variables(file, items) or _registered_with_values(file, route.owner):
        return False
    return True


def _prefix_without_variables(file: FlaskFile, items: dict[str, tuple[nodes.NodeNG, nodes.NodeNG]]) -> bool:
    prefix = items.get("url_prefix")
    if prefix is None:
        return True
    value = file.values.value(prefix[1])
    return isinstance(value, str) and "<" not in value


def _registered_with_values(file: FlaskFile, blueprint: nodes.NodeNG) -> bool:
    """``register_blueprint(bp, url_defaults=..., url_prefix="/<lang>")`` in this module."""
    name = blueprint.name if isinstance(blueprint, nodes.Name) else None
    for call in file.index.calls_named(("register_blueprint",)):
        func = call.func
        if not (isinstance(func, nodes.Attribute) and call.args):
            continue
        if not (isinstance(call.args[0], nodes.Name) and call.args[0].name == name):
            continue
        items = file.values.keyword_items(call)
        if items is None or "url_defaults" in items or "subdomain" in items:
            return True
        if not _prefix_without_variables(file, items):
            return True
    return False


def _has_url_value_preprocessor(file: FlaskFile) -> bool:
    return any(
        isinstance(call.func, nodes.Attribute)
        for call in file.index.calls_named(("url_value_preprocessor", "app_url_value_preprocessor"))
    ) or any(
        isinstance(d, nodes.Attribute) and d.attrname in ("url_value_preprocessor", "app_url_value_preprocessor")
        for function in file.index.functions
        if function.decorators is not None
        for d in function.decorators.nodes
    )


# -- FKS703: converters Flask does not know ---------------------------------------------------------
def _unknown_converters(file: FlaskFile, routes: list[Route]) -> Iterator[Finding]:
    found = []
    for route in routes:
        unknown = [v for v in route_variables(route) or () if v.converter not in BUILTIN_CONVERTERS]
        if unknown and _app_created_here(file, route.owner):
            found.append((route, unknown[0].converter))
    if not found or _mentions_converters(file):
        return
    for route, converter in found:
        anchor = rule_argument(file, route) or route.node
        yield Finding.at(anchor, "FKS703", MESSAGES["FKS703"].format(converter=converter, rule=route.rule))


def _app_created_here(file: FlaskFile, owner: nodes.NodeNG) -> bool:
    """An app built in this module (``Flask(...)`` or a subclass or factory defined here)."""
    origin = file.values.origin(owner)
    if not isinstance(origin, nodes.Call) or file.objects.kind_of(origin) != "app":
        return False
    return file.names.refers_to(origin.func, "flask.Flask") or (
        isinstance(origin.func, nodes.Name)
        and all(
            isinstance(binding, (nodes.ClassDef, nodes.FunctionDef))
            for binding in origin.func.lookup(origin.func.name)[1]
        )
    )


def _mentions_converters(file: FlaskFile) -> bool:
    """The module registers, defines or imports URL converters (they may be custom ones)."""
    for assignment in file.index.assignments:
        targets = assignment.targets if isinstance(assignment, nodes.Assign) else [assignment.target]
        for target in targets:
            if isinstance(target, nodes.Subscript) and "converter" in target.value.as_string().lower():
                return True
    for call in file.index.calls:
        if "converter" in call.func.as_string().lower():
            return True
    for klass in file.index.classes:
        if any("converter" in base.as_string().lower() for base in klass.bases):
            return True
    for statement in file.module.body:
        if isinstance(statement, (nodes.Import, nodes.ImportFrom)):
            modname = statement.modname if isinstance(statement, nodes.ImportFrom) else ""
            names = " ".join(f"{name} {alias or ''}" for name, alias in statement.names)
            if "converter" in f"{modname} {names}".lower():
                return True
    return False


# -- FKS704: one endpoint or one rule registered twice ----------------------------------------------
def _duplicate_registrations(file: FlaskFile, routes: list[Route]) -> Iterator[Finding]:
    ordered = sorted(routes, key=_registration_order)
    by_endpoint: dict[tuple[object, str, str], Route] = {}
    by_rule: dict[tuple[object, str, str], list[Route]] = defaultdict(list)
    for route in ordered:
        key = owner_key(route)
        endpoint = local_endpoint(file, route)
        if endpoint is not None:
            first = by_endpoint.get((key, endpoint))
            if first is None:
                by_endpoint[(key, endpoint)] = route
            elif _different_views(first, route) and _same_block(first, route):
                what = f"endpoint {endpoint!r} is"
                consequence = "Flask raises AssertionError at start-up (give one view another endpoint=)"
                yield _fks704(route, first, what, consequence)
                continue
        if route.rule is None or _rule_is_qualified(file, route):
            continue
        for first in by_rule[(key, route.rule)]:
            overlap = _overlapping_methods(first, route)
            if overlap and _different_views(first, route) and _same_block(first, route):
                what = f"rule {route.rule!r} for {', '.join(sorted(overlap))} is"
                yield _fks704(route, first, what, "the earlier view answers every request, this one never runs")
                break
        by_rule[(key, route.rule)].append(route)


def _fks704(route: Route, first: Route, what: str, consequence: str) -> Finding:
    owner = route.owner.as_string()
    message = MESSAGES["FKS704"].format(what=what, owner=repr(owner), line=first.node.lineno, consequence=consequence)
    return Finding.at(route.node, "FKS704", message)


def _registration_order(route: Route) -> tuple[int, int]:
    # Decorators run bottom-up once the function is defined: the lowest one registers first.
    if _is_decorator_route(route) and route.view is not None:
        return (route.view.lineno or 0, -(route.node.lineno or 0))
    return (route.node.lineno or 0, 0)


def _registration_statement(route: Route) -> nodes.NodeNG:
    if _is_decorator_route(route) and route.view is not None:
        return route.view
    return route.node.statement()


def _same_block(first: Route, second: Route) -> bool:
    """Both registrations run one after the other (not alternatives in if/else or try/except)."""
    one, other = _registration_statement(first), _registration_statement(second)
    if one.parent is not other.parent or one.parent is None:
        return False
    return one.parent.child_sequence(one) is one.parent.child_sequence(other)


def _view_identity(route: Route) -> object:
    """What Flask compares to decide whether two registrations map one endpoint to different views.

    None when it cannot be told (no view function given, or one built by an unknown call).
    """
    if _is_decorator_route(route):
        return route.view
    found = route.node.args[2] if len(route.node.args) > 2 else None
    for keyword in route.node.keywords or ():
        if keyword.arg == "view_func":
            found = keyword.value
    if isinstance(found, nodes.Name):
        _, bindings = found.lookup(found.name)
        return bindings[0] if len(bindings) == 1 else found.name
    if isinstance(found, nodes.Attribute):
        return found.as_string()  # the same object each time it is read
    if isinstance(found, nodes.Lambda) or (
        isinstance(found, nodes.Call) and isinstance(found.func, nodes.Attribute) and found.func.attrname == "as_view"
    ):
        return found  # a new function object per evaluation
    return None


def _different_views(first: Route, second: Route) -> bool:
    one, other = _view_identity(first), _view_identity(second)
    return one is not None and other is not None and one != other


def _rule_is_qualified(file: FlaskFile, route: Route) -> bool:
    """Rules that differ by something other than path and methods are not compared."""
    if has_unknown_keywords(file, route):
        return True
    return any(
        route_keyword(file, route, keyword) is not None
        for keyword in ("host", "subdomain", "defaults", "redirect_to", "build_only")
    )


def _overlapping_methods(first: Route, second: Route) -> frozenset[str]:
    if first.methods is None or second.methods is None:
        return frozenset()
    return _served(first.methods) & _served(second.methods)


def _served(methods: frozenset[str]) -> frozenset[str]:
    served = set(methods) - {"OPTIONS"}
    if "GET" in served:
        served.add("HEAD")
    return frozenset(served)


# -- FKS705: a view that can end without a response ---------------------------------------------
def _missing_response(file: FlaskFile, view: nodes.FunctionDef, routes: list[Route]) -> Finding | None:
    if _is_method(view) or file.index.is_generator(view) or _annotated_no_return(view):
        return None
    how = None
    for ret in file.index.returns_of(view):
        if ret.value is None or (isinstance(ret.value, nodes.Const) and ret.value.value is None):
            how = f"returns None at line {ret.lineno}"
            break
    else:
        if _completes(file, view.body, 0):
            how = "can reach its end without returning a response"
    # A decorator below the route may supply the response; asked only when there is something to report.
    if how is None or not _keeps_return_value(view, routes):
        return None
    return _at_def(view, "FKS705", MESSAGES["FKS705"].format(view=view.name, how=how))


def _annotated_no_return(view: nodes.FunctionDef) -> bool:
    returns = view.returns
    if returns is None:
        return False
    text = returns.value if isinstance(returns, nodes.Const) and isinstance(returns.value, str) else returns.as_string()
    return text.rsplit(".", 1)[-1] in _NO_RETURN


_MAX_NESTING = 40


def _completes(file: FlaskFile, body: list[nodes.NodeNG], depth: int) -> bool:
    """Execution can run past the last statement of ``body`` (no return, raise or exit on every path)."""
    if depth > _MAX_NESTING:
        return False  # too deep to judge: say nothing
    # Last statement first: usually the ``return`` that settles it, so the others are not asked.
    return all(_statement_completes(file, statement, depth + 1) for statement in reversed(body))


def _statement_completes(file: FlaskFile, statement: nodes.NodeNG, depth: int) -> bool:
    if isinstance(statement, (nodes.Return, nodes.Raise)):
        return False
    if isinstance(statement, nodes.Expr) and isinstance(statement.value, nodes.Call):
        return not _never_returns(file, statement.value)
    if isinstance(statement, nodes.Assert):
        return not (isinstance(statement.test, nodes.Const) and not statement.test.value)
    if isinstance(statement, nodes.If):
        return _completes(file, statement.body, depth) or _completes(file, statement.orelse, depth)
    if isinstance(statement, nodes.While):
        if isinstance(statement.test, nodes.Const) and statement.test.value:
            return _breaks(statement)
        return True
    if isinstance(statement, (nodes.With, nodes.AsyncWith)):
        return _completes(file, statement.body, depth)
    if isinstance(statement, nodes.Try):
        return _try_completes(file, statement, depth)
    if isinstance(statement, nodes.Match):
        return _match_completes(file, statement, depth)
    return True


def _try_completes(file: FlaskFile, statement: nodes.Try, depth: int) -> bool:
    if statement.finalbody and not _completes(file, statement.finalbody, depth):
        return False
    if _completes(file, statement.body, depth) and _completes(file, statement.orelse, depth):
        return True
    return any(_completes(file, handler.body, depth) for handler in statement.handlers)


def _match_completes(file: FlaskFile, statement: nodes.Match, depth: int) -> bool:
    exhaustive = any(
        isinstance(case.pattern, nodes.MatchAs) and case.pattern.pattern is None and case.guard is None
        for case in statement.cases
    )
    if not exhaustive:
        return True
    return any(_completes(file, case.body, depth) for case in statement.cases)


def _breaks(loop: nodes.While) -> bool:
    """A ``break`` that leaves this loop (not an inner loop or a nested function)."""
    stack: list[nodes.NodeNG] = list(loop.body)
    while stack:
        node = stack.pop()
        if isinstance(node, nodes.Break):
            return True
        if isinstance(node, (nodes.For, nodes.While, nodes.AsyncFor)):
            stack.extend(node.orelse)  # a break in an inner loop's else leaves this loop
            continue
        if isinstance(node, (nodes.FunctionDef, nodes.ClassDef, nodes.Lambda)):
            continue
        stack.extend(node.get_children())
    return False


def _never_returns(file: FlaskFile, call: nodes.Call) -> bool:
    """``abort(404)``, ``sys.exit()``, ``api.abort(...)``, ``raise_error(...)``: calls that end the path."""
    func = call.func
    if file.names.is_one_of(func, _EXITS):
        return True
    if isinstance(func, nodes.Name) and func.name in ("exit", "quit") and not file.names.qualified_name(func):
        return True
    name = _decorator_name(call)
    if name == "abort" or name.endswith("_abort") or name.startswith(("abort_", "raise_")):
        return True
    return _always_raises(file, call.func)


def _always_raises(file: FlaskFile, func: nodes.NodeNG) -> bool:
    """A function of this module that never returns (``def forbidden(): abort(403)``)."""
    if not isinstance(func, nodes.Name) or func.name not in file.index.function_names:
        return False  # no ``def`` of that name here (a builtin's stand-in has an empty body)
    _, bindings = func.lookup(func.name)
    if len(bindings) != 1 or not isinstance(bindings[0], nodes.FunctionDef):
        return False
    helper = bindings[0]
    if helper in _CHECKING or len(_CHECKING) >= 3 or file.index.returns_of(helper):
        return False
    _CHECKING.append(helper)
    try:
        return not file.index.is_generator(helper) and not _completes(file, helper.body, 0)
    finally:
        _CHECKING.pop()


_CHECKING: list[nodes.FunctionDef] = []
