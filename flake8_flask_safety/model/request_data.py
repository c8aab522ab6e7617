"""Which expressions carry data from the request, inside one function.

Sources are the parts of ``flask.request`` a client controls (``request.args``, ``.form``,
``.values``, ``.json``, ``.get_json()``, ``.files``, ``.cookies``, ``.headers``, ``.view_args``,
``.data``, ``.get_data()``, ``.referrer``) and a view's own string route variables (``<name>``,
``<string:name>``, ``<path:name>``). Data flows through names bound in the same function,
subscripts, ``.get()``, string methods, formatting and concatenation, and is cleared by escaping
(``markupsafe.escape``, ``html.escape``), sanitizers (``bleach.clean``, ``nh3.clean``) and number
conversions. Calls to anything else end the flow: the analysis prefers silence to guessing.

Every answer is a short description of the source (``"request.args"``, ``"route variable
'name'"``) so that a finding can say where the data came from.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from astroid import nodes

from .build import look_up

if TYPE_CHECKING:
    from .flask_file import FlaskFile

REQUEST = "flask.request"
# Attributes of the request whose content the client chooses.
SOURCE_ATTRIBUTES = frozenset(
    {"args", "form", "values", "json", "files", "cookies", "headers", "view_args", "data", "referrer"}
)
SOURCE_METHODS = frozenset({"get_json", "get_data"})
# Methods that hand back (part of) the data of the object they are called on.
PASSING_METHODS = frozenset(
    {
        "get", "getlist", "pop", "strip", "lstrip", "rstrip", "lower", "upper", "title", "capitalize",
        "casefold", "replace", "decode", "encode", "split", "rsplit", "splitlines", "partition",
        "rpartition", "removeprefix", "removesuffix", "center", "ljust", "rjust", "zfill",
        "expandtabs", "swapcase", "read", "to_dict", "copy", "values", "items", "keys", "format",
    }
)
# Methods whose arguments flow into the result (``"<b>{}</b>".format(x)``, ``", ".join(xs)``).
ARGUMENT_METHODS = frozenset({"format", "join", "replace", "format_map"})
PASSING_FUNCTIONS = frozenset(
    {"str", "urllib.parse.unquote", "urllib.parse.unquote_plus", "os.path.join", "posixpath.join"}
)
SANITIZERS = frozenset(
    {
        "markupsafe.escape", "html.escape", "bleach.clean", "nh3.clean", "cgi.escape",
        "werkzeug.utils.escape", "werkzeug.utils.secure_filename", "markupsafe.Markup.escape",
        "urllib.parse.quote", "urllib.parse.quote_plus",
    }
)
NUMBER_CONVERSIONS = frozenset({"int", "float", "bool", "len", "abs", "round", "decimal.Decimal"})
# Route converters whose values are strings a client writes freely.
STRING_CONVERTERS = frozenset({"", "string", "path", "default"})
_RULE_VARIABLE = re.compile(r"<(?:([A-Za-z_]\w*)(?:\([^)>]*\))?:)?([A-Za-z_]\w*)>")
_MAX_DEPTH = 12

FunctionNode = nodes.FunctionDef | nodes.AsyncFunctionDef


class RequestData:
    """Answers "does this expression carry request data, and from where?" for one file."""

    def __init__(self, file: FlaskFile) -> None:
        self._file = file
        self._memo: dict[int, str | None] = {}
        self._route_variables: dict[int, dict[str, str]] | None = None

    # -- public questions ---------------------------------------------------------------
    def source(self, node: nodes.NodeNG | None) -> str | None:
        """Where the request data in ``node`` comes from, or None if it carries none."""
        if node is None:
            return None
        return self._source(node, 0, frozenset())

    def route_variables(self, function: nodes.NodeNG) -> dict[str, str]:
        """String route variables of a view: parameter name -> converter (``""`` for the default)."""
        if self._route_variables is None:
            found: dict[int, dict[str, str]] = {}
            for route in self._file.routes:
                view = route.view
                if isinstance(view, (nodes.FunctionDef, nodes.AsyncFunctionDef)) and route.rule:
                    found.setdefault(id(view), {}).update(parse_rule_variables(route.rule))
            self._route_variables = found
        return self._route_variables.get(id(function), {})

    def is_request(self, node: nodes.NodeNG) -> bool:
        return self._file.names.refers_to(node, REQUEST)

    def is_sanitizer_call(self, node: nodes.NodeNG) -> bool:
        if not isinstance(node, nodes.Call):
            return False
        qname = self._file.names.qualified_name(node.func)
        return qname in SANITIZERS or qname in NUMBER_CONVERSIONS

    # -- the flow -----------------------------------------------------------------------
    def _source(self, node: nodes.NodeNG, depth: int, seen: frozenset[int]) -> str | None:
        if depth > _MAX_DEPTH or id(node) in seen:
            return None
        key = id(node)
        if key in self._memo:
            return self._memo[key]
        found = self._compute(node, depth + 1, seen | {key})
        if not seen:  # answers computed inside a cycle may be partial: keep only top-level ones
            self._memo[key] = found
        return found

    def _compute(self, node: nodes.NodeNG, depth: int, seen: frozenset[int]) -> str | None:
        if isinstance(node, nodes.Attribute):
            if node.attrname in SOURCE_ATTRIBUTES and self.is_request(node.expr):
                return f"request.{node.attrname}"
            return None
        if isinstance(node, nodes.Call):
            return self._call_source(node, depth, seen)
        if isinstance(node, nodes.Subscript):
            return self._source(node.value, depth, seen)
        if isinstance(node, nodes.Name):
            return self._name_source(node, depth, seen)
        if isinstance(node, nodes.BinOp) and node.op in ("+", "%"):
            return self._first(node.left, node.right, depth=depth, seen=seen)
        if isinstance(node, nodes.JoinedStr):
            return self._first(*node.values, depth=depth, seen=seen)
        if isinstance(node, nodes.FormattedValue):
            return self._source(node.value, depth, seen)
        if isinstance(node, (nodes.Tuple, nodes.List)):
            return self._first(*node.elts, depth=depth, seen=seen)
        if isinstance(node, nodes.IfExp):
            return self._first(node.body, node.orelse, depth=depth, seen=seen)
        if isinstance(node, nodes.BoolOp):
            return self._first(*node.values, depth=depth, seen=seen)
        if isinstance(node, nodes.NamedExpr):
            return self._source(node.value, depth, seen)
        return None

    def _first(self, *parts: nodes.NodeNG, depth: int, seen: frozenset[int]) -> str | None:
        for part in parts:
            found = self._source(part, depth, seen)
            if found:
                return found
        return None

    def _call_source(self, call: nodes.Call, depth: int, seen: frozenset[int]) -> str | None:
        func = call.func
        if isinstance(func, nodes.Attribute):
            if func.attrname in SOURCE_METHODS and self.is_request(func.expr):
                return f"request.{func.attrname}()"
            if func.attrname in ARGUMENT_METHODS:
                found = self._first(*call.args, depth=depth, seen=seen)
                if found:
                    return found
            if func.attrname in PASSING_METHODS:
                if func.attrname in ("get", "getlist") and self._converts_to_number(call):
                    return None  # request.args.get("page", type=int)
                return self._source(func.expr, depth, seen)
            return None
        qname = self._file.names.qualified_name(func)
        if qname is None and isinstance(func, nodes.Name) and func.name == "str":
            qname = "str"
        if qname in PASSING_FUNCTIONS and call.args:
            return self._first(*call.args, depth=depth, seen=seen)
        return None

    def _converts_to_number(self, call: nodes.Call) -> bool:
        for keyword in call.keywords or ():
            if keyword.arg == "type" and isinstance(keyword.value, nodes.Name):
                return keyword.value.name in NUMBER_CONVERSIONS
        return False

    def _name_source(self, name: nodes.Name, depth: int, seen: frozenset[int]) -> str | None:
        scope, bindings = look_up(name)
        if not isinstance(scope, (nodes.FunctionDef, nodes.AsyncFunctionDef)):
            return None
        for binding in bindings:
            found = self._binding_source(scope, binding, depth, seen)
            if found:
                return found
        return None

    def _binding_source(
        self, scope: FunctionNode, binding: nodes.NodeNG, depth: int, seen: frozenset[int]
    ) -> str | None:
        if not isinstance(binding, nodes.AssignName):
            return None
        parent = binding.parent
        if isinstance(parent, nodes.Arguments):
            rule = self.route_variables(scope).get(binding.name)
            return f"route variable '{binding.name}'" if rule is not None else None
        if isinstance(parent, (nodes.Assign, nodes.AnnAssign, nodes.NamedExpr)):
            return self._source(parent.value, depth, seen) if parent.value is not None else None
        if isinstance(parent, nodes.AugAssign):
            return self._source(parent.value, depth, seen)
        if isinstance(parent, (nodes.Tuple, nodes.List)):
            assign = parent.parent
            if isinstance(assign, nodes.Assign):
                return self._source(assign.value, depth, seen)
            if isinstance(assign, nodes.For):
                return self._source(assign.iter, depth, seen)
            return None
        if isinstance(parent, (nodes.For, nodes.Comprehension)):
            return self._source(parent.iter, depth, seen)
        return None


def parse_rule_variables(rule: str) -> dict[str, str]:
    """String variables of a URL rule: ``"/u/<name>/<int:id>"`` -> ``{"name": ""}``."""
    found: dict[str, str] = {}
    for match in _RULE_VARIABLE.finditer(rule):
        converter = match.group(1) or ""
        if converter in STRING_CONVERTERS:
            found[match.group(2)] = converter
    return found
