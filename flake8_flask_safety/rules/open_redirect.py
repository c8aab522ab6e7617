"""FKS6xx: redirects whose target the client chooses."""

from __future__ import annotations

import re
from typing import Iterator

from astroid import nodes

from ..model import FlaskFile
from ..model.names import callee_name
from ..options import Options
from . import Finding

MESSAGES = {
    "FKS603": "open redirect: redirect() to a target from {source} that nothing checks stays on this site; "
    "a startswith('/') test lets //evil.example through",
}

_REDIRECTS = frozenset({"flask.redirect", "werkzeug.utils.redirect", "werkzeug.redirect"})
# Calls that check a URL: parsing it, or a helper named for keeping redirects on the site.
_CHECKING_CALL = re.compile(
    r"(?i)safe|valid|allowed|trusted|whitelist|allowlist|same_?(site|origin|host|domain)|is_local"
    r"|internal|check|verify|saniti[sz]|clean|netloc|url_?parse|urlsplit|url_has_allowed|relative"
)
_FUNCTIONS = (nodes.FunctionDef, nodes.AsyncFunctionDef)
_MAX_DEPTH = 8


def check(file: FlaskFile, options: Options) -> Iterator[Finding]:
    if file.is_test_module:
        return
    for call in file.calls_of(_REDIRECTS):
        found = file.values.argument(call, 0, "location")
        if found is None:
            continue
        function = call.scope()
        if not isinstance(function, _FUNCTIONS):
            continue
        leading = _Leading(file, function)
        source = leading.source(found[1], 0)
        if source is not None and not _checked(file, function, leading.names, source):
            yield Finding.at(call, "FKS603", MESSAGES["FKS603"].format(source=source))


class _Leading:
    """Finds request data at the start of a redirect target, where it decides the host."""

    def __init__(self, file: FlaskFile, function: nodes.FunctionDef) -> None:
        self._file = file
        self._function = function
        self.names: set[str] = set()  # local names the target flows through

    def source(self, node: nodes.NodeNG, depth: int) -> str | None:
        if depth > _MAX_DEPTH:
            return None
        if isinstance(node, nodes.BinOp) and node.op == "+":
            if _is_free_prefix(self._file, node.left):
                return self.source(node.right, depth + 1)
            return self.source(node.left, depth + 1)
        if isinstance(node, nodes.BinOp) and node.op == "%":
            template = self._file.values.value(node.left)
            if isinstance(template, str) and re.match(r"^[/\\]*%s", template):
                return self._file.request_data.source(node.right)
            return None
        if isinstance(node, nodes.JoinedStr):
            return self._joined(node, depth)
        if isinstance(node, (nodes.IfExp, nodes.BoolOp)):
            parts = [node.body, node.orelse] if isinstance(node, nodes.IfExp) else node.values
            for part in parts:
                found = self.source(part, depth + 1)
                if found:
                    return found
            return None
        if isinstance(node, nodes.Call) and _is_format(node):
            template = self._file.values.value(node.func.expr)  # type: ignore[attr-defined]
            if isinstance(template, str) and re.match(r"^[/\\]*\{", template):
                return self._file.request_data.source(node)
            return None
        if isinstance(node, nodes.Name):
            return self._name(node, depth)
        return self._direct(node)

    def _joined(self, node: nodes.JoinedStr, depth: int) -> str | None:
        for value in node.values:
            if isinstance(value, nodes.Const):
                if isinstance(value.value, str) and value.value.strip("/\\") == "":
                    continue
                return None
            if isinstance(value, nodes.FormattedValue):
                return self.source(value.value, depth + 1)
            return None
        return None

    def _name(self, name: nodes.Name, depth: int) -> str | None:
        scope, bindings = name.lookup(name.name)
        if scope is not self._function:
            return None
        self.names.add(name.name)
        for binding in bindings:
            if not isinstance(binding, nodes.AssignName):
                continue
            parent = binding.parent
            if isinstance(parent, nodes.Arguments):
                converter = self._file.request_data.route_variables(self._function).get(name.name)
                if converter == "path":  # only a path variable can hold "//host"
                    return f"route variable '{name.name}'"
            elif isinstance(parent, (nodes.Assign, nodes.AnnAssign, nodes.NamedExpr)) and parent.value:
                found = self.source(parent.value, depth + 1)
                if found:
                    return found
        return None

    def _direct(self, node: nodes.NodeNG) -> str | None:
        source = self._file.request_data.source(node)
        if source is None or source.startswith("route variable"):
            return None
        return source


def _is_format(call: nodes.Call) -> bool:
    return isinstance(call.func, nodes.Attribute) and call.func.attrname == "format"


def _is_free_prefix(file: FlaskFile, node: nodes.NodeNG) -> bool:
    """A constant start that does not fix the host: ``""``, ``"/"``, ``"\\\\"``."""
    value = file.values.value(node)
    return isinstance(value, str) and value.strip("/\\") == ""


def _checked(file: FlaskFile, function: nodes.NodeNG, names: set[str], source: str) -> bool:
    """Something in the function checks the target: a URL-checking call or an allow-list test."""
    for node in function.nodes_of_class((nodes.Call, nodes.Compare)):
        if isinstance(node, nodes.Call):
            if not _CHECKING_CALL.search(callee_name(node.func)):
                continue
            arguments = list(node.args) + [kw.value for kw in node.keywords or ()]
            if any(_mentions(file, argument, names, source) for argument in arguments):
                return True
        elif any(op in ("in", "not in") for op, _ in node.ops) and _mentions(file, node.left, names, source):
            return True
    return False


def _mentions(file: FlaskFile, node: nodes.NodeNG, names: set[str], source: str) -> bool:
    if isinstance(node, nodes.Name) and node.name in names:
        return True
    if any(isinstance(n, nodes.Name) and n.name in names for n in node.nodes_of_class(nodes.Name)):
        return True
    return file.request_data.source(node) == source
