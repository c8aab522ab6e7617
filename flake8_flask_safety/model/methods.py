"""Which HTTP methods reach which code of a view.

A function view accepts the union of the methods of every route that registers it (``methods=``
upper-cased, ``@x.get``/``@x.post`` shortcuts, GET when no methods are given). Flask adds HEAD
wherever GET is accepted and answers OPTIONS itself, so OPTIONS reaches a view only when a route
lists it. Inside the view, ``if request.method == "GET":`` (``!=``, ``in``, ``not in``, ``else``,
``and``/``or``/``not``) and ``if form.validate_on_submit():`` narrow the methods that reach each
branch, and so does an earlier ``if ...: return`` whose branch always leaves the view.

Class-based views (MethodView/View) take their methods from the class; their ``post``/``put``/
``patch``/``delete`` handlers are modelled as views that only that method reaches.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator, NamedTuple

from astroid import nodes

from .routes import VIEW_BASES, Route

if TYPE_CHECKING:
    from .flask_file import FlaskFile

# Method names Flask/Werkzeug route on. Anything else in ``methods=`` can never match a request.
HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Methods of HTTP extensions (WebDAV and others) that Werkzeug routes like any other.
EXTENSION_METHODS = frozenset(
    {"PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "PURGE", "REPORT", "SEARCH",
     "LINK", "UNLINK", "QUERY"}
)
_REQUEST = "flask.request"
_ABORT = frozenset({"flask.abort", "werkzeug.exceptions.abort"})
_HANDLER_METHODS = {"post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE", "get": "GET"}

MethodSet = frozenset[str]


class Narrowing(NamedTuple):
    """Methods for which a condition is true, and for which it is false."""

    when_true: MethodSet
    when_false: MethodSet


_ANY = Narrowing(HTTP_METHODS, HTTP_METHODS)


class ViewMethods:
    """One view function and the methods its routes accept."""

    __slots__ = ("function", "routes", "accepted", "invalid_methods", "class_based")

    def __init__(
        self, function: nodes.FunctionDef, accepted: MethodSet | None = frozenset(), class_based: bool = False
    ) -> None:
        self.function = function
        self.routes: list[Route] = []
        self.accepted = accepted  # None: some route's methods are not known
        self.invalid_methods = False  # some route's methods= is itself a mistake (FKS203)
        self.class_based = class_based  # a MethodView handler: ``accepted`` comes from its name

    @property
    def reaching(self) -> MethodSet | None:
        """Methods whose requests run this view (HEAD comes with GET)."""
        if self.accepted is None:
            return None
        if "GET" in self.accepted:
            return self.accepted | {"HEAD"}
        return self.accepted


def methods_value_problem(value: Any) -> str | None:
    """Why a ``methods=`` value is wrong, or None: a bare string, or a name no request uses."""
    if isinstance(value, str):
        return f"methods={value!r} is a string, not a list: Flask raises TypeError when the route is registered"
    if isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            if isinstance(item, str) and item.upper() not in HTTP_METHODS | EXTENSION_METHODS:
                return f"methods= lists {item!r}, which is not an HTTP method: no request can ever match it"
    return None


def route_methods_problem(route: Route) -> str | None:
    if route.methods_node is None or isinstance(route.methods_node, nodes.Attribute):
        return None  # no methods= (the shortcut decorators give the method by name)
    return methods_value_problem(route.methods_value)


class ViewMethodModel:
    def __init__(self, file: FlaskFile) -> None:
        self._file = file
        self._narrowing: dict[int, Narrowing] = {}
        self.views: dict[int, ViewMethods] = {}
        self._collect()

    # -- views and their accepted methods ----------------------------------------------------
    def _collect(self) -> None:
        for route in self._file.routes:
            view = route.view
            if isinstance(view, nodes.ClassDef):
                self._collect_class(view)
                continue
            if not isinstance(view, nodes.FunctionDef):
                continue
            entry = self.views.setdefault(id(view), ViewMethods(view))
            entry.routes.append(route)
            if route_methods_problem(route) is not None:
                entry.invalid_methods = True
            methods = route.methods
            if route.methods_node is None and self._hides_keywords(route.node):
                methods = None  # ``@bp.route(rule, **options)``: methods= may be in there
            if methods is None or entry.accepted is None:
                entry.accepted = None
            else:
                entry.accepted = entry.accepted | methods
        for klass in self._file.index.classes:
            if self._is_view_class(klass):
                self._collect_class(klass)

    def _hides_keywords(self, call: nodes.Call) -> bool:
        return any(
            keyword.arg is None and self._file.values.mapping_items(keyword.value) is None
            for keyword in call.keywords or ()
        )

    def _is_view_class(self, klass: nodes.ClassDef) -> bool:
        return any(self._file.names.is_one_of(base, VIEW_BASES) for base in klass.bases)

    def _collect_class(self, klass: nodes.ClassDef) -> None:
        for statement in klass.body:
            if isinstance(statement, nodes.FunctionDef) and statement.name in _HANDLER_METHODS:
                if id(statement) not in self.views:
                    method = _HANDLER_METHODS[statement.name]
                    self.views[id(statement)] = ViewMethods(
                        statement, accepted=frozenset({method}), class_based=True
                    )

    def function_views(self) -> Iterator[ViewMethods]:
        return iter(self.views.values())

    # -- request.method and branches ---------------------------------------------------------
    def is_request_method(self, node: nodes.NodeNG) -> bool:
        """``request.method`` (any alias of Flask's request), also ``request.method.upper()``."""
        if isinstance(node, nodes.Call) and isinstance(node.func, nodes.Attribute):
            if node.func.attrname == "upper" and not node.args:
                node = node.func.expr
        return (
            isinstance(node, nodes.Attribute)
            and node.attrname == "method"
            and self._file.names.refers_to(node.expr, _REQUEST)
        )

    def compared_methods(self, compare: nodes.Compare) -> tuple[str, frozenset[str]] | None:
        """(operator, method names) of ``request.method <op> constant``; None for other comparisons."""
        if len(compare.ops) != 1:
            return None
        op, right = compare.ops[0]
        left = compare.left
        if self.is_request_method(left):
            other = right
        elif op in ("==", "!=") and self.is_request_method(right):
            other = left
        else:
            return None
        if op in ("==", "!="):
            value = self._file.values.value(other)
            return (op, frozenset({value})) if isinstance(value, str) else None
        if op in ("in", "not in"):
            value = self._file.values.value(other)
            if isinstance(value, (list, tuple, set, frozenset)) and value and all(
                isinstance(item, str) for item in value
            ):
                return op, frozenset(value)
            if isinstance(value, str):
                return None  # ``request.method in "POST"``: a substring test
        return None

    def narrowing(self, test: nodes.NodeNG) -> Narrowing:
        key = id(test)
        found = self._narrowing.get(key)
        if found is None:
            found = self._narrowing[key] = self._narrow(test)
        return found

    def _narrow(self, test: nodes.NodeNG) -> Narrowing:
        if isinstance(test, nodes.Compare):
            compared = self.compared_methods(test)
            if compared is None:
                return _ANY
            op, names = compared
            matching = frozenset(n for n in names if n in HTTP_METHODS)  # "post" never matches
            if op in ("==", "in"):
                return Narrowing(matching, HTTP_METHODS - matching)
            return Narrowing(HTTP_METHODS - matching, matching)
        if isinstance(test, nodes.UnaryOp) and test.op == "not":
            inner = self.narrowing(test.operand)
            return Narrowing(inner.when_false, inner.when_true)
        if isinstance(test, nodes.BoolOp):
            parts = [self.narrowing(value) for value in test.values]
            if test.op == "and":
                return Narrowing(
                    _intersection(p.when_true for p in parts), _union(p.when_false for p in parts)
                )
            return Narrowing(_union(p.when_true for p in parts), _intersection(p.when_false for p in parts))
        if is_validate_on_submit(test):
            return Narrowing(BODY_METHODS, HTTP_METHODS)
        return _ANY

    def methods_at(self, view: ViewMethods, node: nodes.NodeNG) -> MethodSet | None:
        """Methods whose requests can reach ``node`` inside ``view``; None when not known."""
        reaching = view.reaching
        if reaching is None:
            return None
        for condition, taken in self.conditions_at(view.function, node):
            narrowing = self.narrowing(condition)
            reaching = reaching & (narrowing.when_true if taken else narrowing.when_false)
        return reaching

    def conditions_at(
        self, function: nodes.FunctionDef, node: nodes.NodeNG
    ) -> Iterator[tuple[nodes.NodeNG, bool]]:
        """(condition, outcome) pairs that hold wherever ``node`` runs inside ``function``."""
        child = node
        parent = node.parent
        while parent is not None and parent is not function:
            if isinstance(parent, nodes.If):
                if child in parent.body:
                    yield parent.test, True
                elif child in parent.orelse:
                    yield parent.test, False
            if child.is_statement:
                yield from _early_exits_before(child)
            if isinstance(parent, (nodes.FunctionDef, nodes.AsyncFunctionDef, nodes.Lambda, nodes.ClassDef)):
                return  # a nested function or class: its own code, not the view's
            child, parent = parent, parent.parent
        if parent is function and child.is_statement:
            yield from _early_exits_before(child)


def is_validate_on_submit(node: nodes.NodeNG) -> bool:
    return (
        isinstance(node, nodes.Call)
        and isinstance(node.func, nodes.Attribute)
        and node.func.attrname == "validate_on_submit"
        and not node.args
    )


def _early_exits_before(statement: nodes.NodeNG) -> Iterator[tuple[nodes.NodeNG, bool]]:
    """``if C: return ...`` earlier in the same block: code after it runs only when C was false."""
    sibling = statement.previous_sibling()
    while sibling is not None:
        if isinstance(sibling, nodes.If):
            body_exits = leaves(sibling.body)
            else_exits = bool(sibling.orelse) and leaves(sibling.orelse)
            if body_exits and not else_exits:
                yield sibling.test, False
            elif else_exits and not body_exits:
                yield sibling.test, True
        sibling = sibling.previous_sibling()


def leaves(block: list[nodes.NodeNG]) -> bool:
    """The block always leaves the function (return, raise, abort())."""
    if not block:
        return False
    last = block[-1]
    if isinstance(last, (nodes.Return, nodes.Raise)):
        return True
    if isinstance(last, nodes.Expr) and isinstance(last.value, nodes.Call):
        func = last.value.func
        name = func.attrname if isinstance(func, nodes.Attribute) else getattr(func, "name", "")
        return name == "abort"
    if isinstance(last, nodes.If):
        return leaves(last.body) and leaves(last.orelse)
    return False


def _union(sets: Iterator[MethodSet]) -> MethodSet:
    result: MethodSet = frozenset()
    for item in sets:
        result = result | item
    return result


def _intersection(sets: Iterator[MethodSet]) -> MethodSet:
    result = HTTP_METHODS
    for item in sets:
        result = result & item
    return result
