"""FKS9xx: request data read by hand."""

from __future__ import annotations

from typing import Iterator

from astroid import nodes

from ..model import FlaskFile
from ..options import Options
from . import Finding

MESSAGES = {
    "FKS901": "request body parsed with {call}() from {source}: request.get_json() answers bad JSON with "
    "400 and checks the content type, this raises a 500",
}

_JSON_LOADS = frozenset(
    {"json.loads", "simplejson.loads", "ujson.loads", "orjson.loads", "flask.json.loads", "rapidjson.loads"}
)
_TEXT_STEPS = frozenset({"decode", "strip"})
_MAX_STEPS = 6


def check(file: FlaskFile, options: Options) -> Iterator[Finding]:
    if file.is_test_module:
        return
    for call in file.calls_of(_JSON_LOADS):
        found = file.values.argument(call, 0, "s")
        if found is None:
            continue
        source = _raw_body(file, found[1])
        if source is not None:
            qname = file.names.qualified_name(call.func) or ""
            label = qname.rsplit(".", 2)[-2] + ".loads"
            yield Finding.at(call, "FKS901", MESSAGES["FKS901"].format(call=label, source=source))


def _raw_body(file: FlaskFile, node: nodes.NodeNG) -> str | None:
    """``request.data`` / ``request.get_data()`` behind ``node``, through decoding and local names."""
    for _ in range(_MAX_STEPS):
        if isinstance(node, nodes.Attribute) and node.attrname == "data" and file.request_data.is_request(node.expr):
            return "request.data"
        if isinstance(node, nodes.Call):
            func = node.func
            if isinstance(func, nodes.Attribute):
                if func.attrname == "get_data" and file.request_data.is_request(func.expr):
                    return "request.get_data()"
                if func.attrname in _TEXT_STEPS:
                    node = func.expr
                    continue
            elif isinstance(func, nodes.Name) and func.name == "str" and node.args:
                node = node.args[0]
                continue
            return None
        if isinstance(node, nodes.Name):
            scope, _ = node.lookup(node.name)
            assigned = file.values.assigned_value(node)
            if assigned is None or not isinstance(scope, (nodes.FunctionDef, nodes.AsyncFunctionDef)):
                return None
            node = assigned
            continue
        return None
    return None
