"""FKS5xx: templates and escaping."""

from __future__ import annotations

import os
import re
from typing import Iterator

from astroid import nodes

from ..model import FlaskFile
from ..model.request_data import NUMBER_CONVERSIONS, SANITIZERS
from ..model.names import callee_name
from ..model.templates import TEMPLATES, default_folders, project_root, scan
from ..model.values import UNKNOWN
from ..options import Options
from . import Finding

# FKS501 is opt-in: on real projects most Markup() calls on formatted text format values no
# client controls (field names, numbers, translated strings), and without types the rule cannot
# tell them apart (10 of 12 corpus findings correct, below the bar for a default-on code).
DEFAULT_OFF = frozenset({"FKS501"})

MESSAGES = {
    "FKS501": "Markup() on content built at run time{origin}: everything inside skips escaping; "
    "use Markup(\"...{{}}...\").format(value), which escapes the values",
    "FKS502": "template source built at run time{origin} passed to {call}(): whoever controls it runs "
    "code on the server (template injection); pass values as context variables",
    "FKS503": "Jinja auto-escaping off for HTML ({how}): every variable is printed raw, so user data "
    "becomes markup (XSS)",
    "FKS504": "'{variable}' gets data from {source} and template {template} prints it unescaped ({how}): "
    "reflected XSS",
    "FKS505": "response body formatted from {source} without escaping: Flask serves a str as text/html, "
    "so this is reflected XSS",
}

MARKUP = "markupsafe.Markup"
RENDER_TEMPLATE = "flask.render_template"
RENDER_TEMPLATE_STRING = "flask.render_template_string"
TEMPLATE_CLASSES = frozenset({"jinja2.Template", "jinja2.environment.Template"})
ENVIRONMENTS = frozenset({"jinja2.Environment", "jinja2.environment.Environment"})
RESPONSES = frozenset(
    {"flask.Response", "flask.wrappers.Response", "werkzeug.wrappers.Response", "werkzeug.Response",
     "flask.make_response"}
)
_TEMPLATE_CALLS = frozenset(
    {MARKUP, RENDER_TEMPLATE, RENDER_TEMPLATE_STRING, *TEMPLATE_CLASSES, *ENVIRONMENTS, *RESPONSES}
)
_FROM_STRING = frozenset({"from_string"})
_APP_AND_BLUEPRINT = frozenset({"flask.Flask", "flask.Blueprint"})
HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "dispatch_request"})
# Calls whose result is safe to put into markup: escaped, numbers, URLs, rendered templates.
# (wtforms' ``html_params`` escapes the values it writes.)
_SAFE_CALL_WORDS = re.compile(
    r"(?i)escape|clean|saniti[sz]|url_for|render_template|html_params|^markup$|^count$"
)
# A template file name (not a URL that happens to end in .html) or an HTML tag.
_HTML_HINT = re.compile(
    r"(?i)^[\w./-]+\.x?html?$|<(?:!doctype|html|head|body|div|span|p|a|table|tr|td|ul|ol|li|h[1-6]|br"
    r"|script|style|form|input|img|b|i|strong|em|pre|code)\b"
)
_AUTOESCAPE_POSITION = 16
_MAX_DEPTH = 6
_FUNCTIONS = (nodes.FunctionDef, nodes.AsyncFunctionDef)


def check(file: FlaskFile, options: Options) -> Iterator[Finding]:
    if file.is_test_module:
        return  # tests build throwaway views and templates on purpose
    for call in file.calls_to(_TEMPLATE_CALLS, also=_FROM_STRING):
        qname = file.names.qualified_name(call.func)
        if qname == MARKUP:
            if options.computes("FKS501"):
                yield from _markup(file, call)
        elif qname == RENDER_TEMPLATE:
            yield from _unsafe_context(file, call, None)
        elif qname == RENDER_TEMPLATE_STRING:
            yield from _template_source(file, call, "render_template_string")
            yield from _unsafe_context(file, call, "inline")
        elif qname in TEMPLATE_CLASSES:
            yield from _template_source(file, call, "Template")
            yield from _template_without_autoescape(file, call)
        elif qname in ENVIRONMENTS:
            yield from _environment(file, call)
        elif qname in RESPONSES:
            yield from _response_call(file, call)
        elif isinstance(call.func, nodes.Attribute) and call.func.attrname == "from_string":
            if _is_environment(file, call.func.expr):
                yield from _template_source(file, call, "from_string")
    yield from _autoescape_writes(file)
    yield from _returned_bodies(file)


# -- shared: is a string built at run time? ---------------------------------------------------
def _is_markup(file: FlaskFile, node: nodes.NodeNG) -> bool:
    """``Markup(...)`` or a method of one (``Markup(...).format(...)``): its operations escape."""
    while isinstance(node, nodes.Call):
        if file.names.refers_to(node.func, MARKUP):
            return True
        if not isinstance(node.func, nodes.Attribute):
            return False
        node = node.func.expr
    return False


def _safe_part(file: FlaskFile, node: nodes.NodeNG, depth: int = 0) -> bool:
    """A piece of markup that cannot carry unescaped text: constants, escaped values, numbers."""
    if depth > _MAX_DEPTH:
        return False
    if file.values.value(node) is not UNKNOWN:
        return True
    if isinstance(node, nodes.FormattedValue):
        return _safe_part(file, node.value, depth + 1)
    if isinstance(node, nodes.Call):
        if _is_markup(file, node):
            return True
        qname = file.names.qualified_name(node.func) or ""
        if qname in SANITIZERS or qname in NUMBER_CONVERSIONS:
            return True
        name = qname.rsplit(".", 1)[-1] if qname else callee_name(node.func)
        if name in NUMBER_CONVERSIONS or _SAFE_CALL_WORDS.search(name):
            return True
        if name == "str" and node.args:
            return _safe_part(file, node.args[0], depth + 1)
        return False
    if isinstance(node, nodes.IfExp):
        return _safe_part(file, node.body, depth + 1) and _safe_part(file, node.orelse, depth + 1)
    if isinstance(node, (nodes.JoinedStr, nodes.BinOp)) or _is_method(node, "format", "join"):
        return not _unsafe_parts(file, node, depth + 1)
    if isinstance(node, nodes.Name):
        assigned = _local_value(node)
        return assigned is not None and _safe_part(file, assigned, depth + 1)
    return False


def _unsafe_parts(file: FlaskFile, node: nodes.NodeNG, depth: int = 0) -> list[nodes.NodeNG]:
    """The run-time pieces of a string built by f-string, ``%``, ``+``, ``.format()`` or ``join``."""
    if depth > _MAX_DEPTH:
        return []
    if isinstance(node, nodes.JoinedStr):
        parts = [value for value in node.values if isinstance(value, nodes.FormattedValue)]
    elif isinstance(node, nodes.BinOp) and node.op == "+":
        if _is_markup(file, node.left) or _is_markup(file, node.right):
            return []  # Markup + str escapes the str
        parts = [node.left, node.right]
    elif isinstance(node, nodes.BinOp) and node.op == "%":
        if _is_markup(file, node.left):
            return []
        parts = _format_operands(node.right)
    elif _is_method(node, "format"):
        if _is_markup(file, node.func.expr):  # type: ignore[attr-defined]
            return []
        parts = list(node.args) + [kw.value for kw in node.keywords or ()]  # type: ignore[attr-defined]
    elif _is_method(node, "join"):
        if _is_markup(file, node.func.expr) or not node.args:  # type: ignore[attr-defined]
            return []
        joined = node.args[0]  # type: ignore[attr-defined]
        if isinstance(joined, (nodes.GeneratorExp, nodes.ListComp)):
            # Items made by a call (a widget, str(field)) may well be markup already; only items
            # built here by formatting are judged.
            return _unsafe_parts(file, joined.elt, depth + 1)
        parts = list(joined.elts) if isinstance(joined, (nodes.List, nodes.Tuple)) else [joined]
    else:
        return []
    return [part for part in parts if not _safe_part(file, part, depth + 1)]


def _format_operands(right: nodes.NodeNG) -> list[nodes.NodeNG]:
    """Values formatted by ``template % right``: a tuple's items, a dict's values (also of a local
    dict filled by ``args[key] = value``), or the single value."""
    if isinstance(right, nodes.Tuple):
        return list(right.elts)
    if isinstance(right, nodes.Name):
        assigned = _local_value(right)
        if isinstance(assigned, nodes.Dict):
            return [value for _, value in assigned.items] + _items_assigned(right)
    if isinstance(right, nodes.Dict):
        return [value for _, value in right.items]
    return [right]


def _items_assigned(name: nodes.Name) -> list[nodes.NodeNG]:
    """Values stored by ``name[key] = value`` in the function that binds ``name``."""
    values = []
    for assign in name.scope().nodes_of_class(nodes.Assign):
        for target in assign.targets:
            if isinstance(target, nodes.Subscript) and isinstance(target.value, nodes.Name):
                if target.value.name == name.name:
                    values.append(assign.value)
    return values


def _built_at_run_time(file: FlaskFile, node: nodes.NodeNG, depth: int = 0) -> bool:
    if depth > _MAX_DEPTH:
        return False
    if isinstance(node, nodes.Name):
        assigned = _local_value(node)
        return assigned is not None and _built_at_run_time(file, assigned, depth + 1)
    return bool(_unsafe_parts(file, node))


def _origin(file: FlaskFile, node: nodes.NodeNG) -> str:
    source = file.request_data.source(node)
    return f" from {source}" if source else ""


# -- FKS501 -----------------------------------------------------------------------------------
def _markup(file: FlaskFile, call: nodes.Call) -> Iterator[Finding]:
    found = file.values.argument(call, 0, "object")
    if found is None:
        return
    value = found[1]
    source = file.request_data.source(value)
    if _built_at_run_time(file, value) or (source and not _safe_part(file, value)):
        yield Finding.at(call, "FKS501", MESSAGES["FKS501"].format(origin=_origin(file, value)))


# -- FKS502 -----------------------------------------------------------------------------------
def _template_source(file: FlaskFile, call: nodes.Call, label: str) -> Iterator[Finding]:
    found = file.values.argument(call, 0, "source")
    if found is None:
        return
    anchor, value = found
    if file.values.value(value) is not UNKNOWN:
        return
    dynamic = _dynamic_string(file, value)
    if dynamic or file.request_data.source(value):
        message = MESSAGES["FKS502"].format(origin=_origin(file, value), call=label)
        yield Finding.at(anchor, "FKS502", message)


def _dynamic_string(file: FlaskFile, node: nodes.NodeNG, depth: int = 0) -> bool:
    """A str built from pieces not all known at lint time (any escaping is beside the point)."""
    if depth > _MAX_DEPTH:
        return False
    if isinstance(node, nodes.Name):
        assigned = _local_value(node)
        return assigned is not None and _dynamic_string(file, assigned, depth + 1)
    if isinstance(node, nodes.JoinedStr):
        pieces = [v.value for v in node.values if isinstance(v, nodes.FormattedValue)]
    elif isinstance(node, nodes.BinOp) and node.op in ("+", "%"):
        pieces = [node.left, node.right]
    elif _is_method(node, "format"):
        pieces = list(node.args) + [kw.value for kw in node.keywords or ()]  # type: ignore[attr-defined]
    else:
        return False
    return any(file.values.value(piece) is UNKNOWN for piece in pieces)


def _is_environment(file: FlaskFile, node: nodes.NodeNG) -> bool:
    if isinstance(node, nodes.Attribute) and node.attrname == "jinja_env":
        return True
    origin = file.values.origin(node)
    return isinstance(origin, nodes.Call) and file.names.is_one_of(origin.func, ENVIRONMENTS)


# -- FKS503 -----------------------------------------------------------------------------------
def _environment(file: FlaskFile, call: nodes.Call) -> Iterator[Finding]:
    if len(call.args) > _AUTOESCAPE_POSITION:
        return
    keywords = file.values.keyword_items(call)
    if keywords is None:
        return  # Environment(**options): autoescape may be among them
    if "autoescape" in keywords:
        if file.values.value(keywords["autoescape"][1]) is not False:
            return
        how = "Environment(autoescape=False)"
    else:
        how = "Environment() without autoescape; Jinja's default is off"
    if _renders_html(file):
        yield Finding.at(call, "FKS503", MESSAGES["FKS503"].format(how=how))


def _template_without_autoescape(file: FlaskFile, call: nodes.Call) -> Iterator[Finding]:
    keywords = file.values.keyword_items(call)
    if keywords is None or "autoescape" in keywords and file.values.value(keywords["autoescape"][1]) is not False:
        return
    source = file.values.argument(call, 0, "source")
    text = file.values.value(source[1]) if source else UNKNOWN
    html = _HTML_HINT.search(text) if isinstance(text, str) else _renders_html(file)
    if html:
        yield Finding.at(call, "FKS503", MESSAGES["FKS503"].format(how="jinja2.Template() escapes nothing"))


def _renders_html(file: FlaskFile) -> bool:
    """The module shows it deals in HTML: a ``.html`` template name or an HTML tag in a string."""
    return any(
        isinstance(string.value, str) and _HTML_HINT.search(string.value) for string in file.index.strings
    )


def _autoescape_writes(file: FlaskFile) -> Iterator[Finding]:
    for assignment in file.index.assignments:
        targets = assignment.targets if isinstance(assignment, nodes.Assign) else [assignment.target]
        for target in targets:
            name = _target_name(target)
            if name == "autoescape" and isinstance(target, nodes.AssignAttr):
                if _attribute_name(target.expr) == "jinja_env" and _is_false(file, assignment.value):
                    yield Finding.at(target, "FKS503", MESSAGES["FKS503"].format(how="jinja_env.autoescape = False"))
            elif name == "jinja_options":
                items = _options_items(file, assignment.value)
                if "autoescape" in items and _is_false(file, items["autoescape"][1]):
                    anchor = items["autoescape"][0]
                    yield Finding.at(anchor, "FKS503", MESSAGES["FKS503"].format(how="jinja_options autoescape=False"))
            elif isinstance(target, nodes.Subscript) and _attribute_name(target.value) == "jinja_options":
                if file.values.value(target.slice) == "autoescape" and _is_false(file, assignment.value):
                    yield Finding.at(target, "FKS503", MESSAGES["FKS503"].format(how="jinja_options autoescape=False"))


def _options_items(file: FlaskFile, node: nodes.NodeNG | None) -> dict[str, tuple[nodes.NodeNG, nodes.NodeNG]]:
    """Keys of a dict literal, or the keywords of ``dict(base, key=value)``."""
    if isinstance(node, nodes.Call) and isinstance(node.func, nodes.Name) and node.func.name == "dict":
        return {kw.arg: (kw, kw.value) for kw in node.keywords or () if kw.arg}
    return file.values.mapping_items(node) or {}


def _is_false(file: FlaskFile, node: nodes.NodeNG | None) -> bool:
    return node is not None and file.values.value(node) is False


# -- FKS504 -----------------------------------------------------------------------------------
def _unsafe_context(file: FlaskFile, call: nodes.Call, inline: str | None) -> Iterator[Finding]:
    template = file.values.argument(call, 0, "source" if inline else "template_name_or_list")
    if template is None:
        return
    name = file.values.value(template[1])
    if not isinstance(name, str):
        return
    context = file.values.keyword_items(call)
    if not context:
        return
    candidates = {
        variable: (anchor, value)
        for variable, (anchor, value) in context.items()
        if file.request_data.source(value) and not _safe_part(file, value)
    }
    if not candidates:
        return
    if inline:
        facts = scan(name)
        raw = facts.raw_variables if facts else None
        label = "(inline)"
    else:
        raw = TEMPLATES.raw_variables(name, _template_folders(file), project_root(file.path))
        label = repr(name)
    for variable, (anchor, value) in candidates.items():
        if raw and variable in raw:
            message = MESSAGES["FKS504"].format(
                variable=variable, source=file.request_data.source(value), template=label,
                how="|safe or autoescape false",
            )
            yield Finding.at(anchor, "FKS504", message)


def _template_folders(file: FlaskFile) -> list[str]:
    """Folders Flask would search, as far as this module shows them."""
    module_dir = os.path.dirname(os.path.abspath(file.path))
    folders: list[str] = []
    for call in file.calls_of(_APP_AND_BLUEPRINT):
        found = file.values.argument(call, None, "template_folder")
        folder = file.values.value(found[1]) if found else UNKNOWN
        if isinstance(folder, str) and folder and not os.path.isabs(folder):
            folders.append(os.path.normpath(os.path.join(module_dir, folder)))
    return folders + default_folders(file.path, project_root(file.path))


# -- FKS505 -----------------------------------------------------------------------------------
def _returned_bodies(file: FlaskFile) -> Iterator[Finding]:
    for function in _views(file):
        for ret in file.index.returns_of(function):
            body = ret.value
            if isinstance(body, nodes.Tuple) and body.elts:
                if len(body.elts) > 1 and not all(isinstance(e, nodes.Const) for e in body.elts[1:]):
                    continue  # headers we cannot read may set the content type
                body = body.elts[0]
            source = _formatted_request_data(file, body) if body is not None else None
            if source and not _sets_content_type(function):
                yield Finding.at(ret, "FKS505", MESSAGES["FKS505"].format(source=source))


def _response_call(file: FlaskFile, call: nodes.Call) -> Iterator[Finding]:
    function = call.scope()
    if not isinstance(function, _FUNCTIONS):
        return
    keywords = file.values.keyword_items(call)
    if keywords is None or "mimetype" in keywords or "content_type" in keywords or "headers" in keywords:
        if keywords is None:
            return
        kind = file.values.value((keywords.get("mimetype") or keywords.get("content_type") or (None, None))[1])
        if not (isinstance(kind, str) and kind.startswith("text/html")):
            return
    body = file.values.argument(call, 0, "response")
    source = _formatted_request_data(file, body[1]) if body else None
    if source and not _sets_content_type(function):
        yield Finding.at(call, "FKS505", MESSAGES["FKS505"].format(source=source))


def _formatted_request_data(file: FlaskFile, node: nodes.NodeNG, depth: int = 0) -> str | None:
    if depth > _MAX_DEPTH:
        return None
    if isinstance(node, nodes.Name):
        assigned = _local_value(node)
        return _formatted_request_data(file, assigned, depth + 1) if assigned is not None else None
    for part in _unsafe_parts(file, node):
        source = file.request_data.source(part)
        if source:
            return source
    return None


def _views(file: FlaskFile) -> list[nodes.FunctionDef]:
    views: list[nodes.FunctionDef] = []
    for route in file.routes:
        view = route.view
        if isinstance(view, _FUNCTIONS):
            views.append(view)
        elif isinstance(view, nodes.ClassDef):
            views.extend(m for m in view.mymethods() if m.name in HTTP_METHODS)
    unique: dict[int, nodes.FunctionDef] = {id(v): v for v in views}
    return list(unique.values())


def _sets_content_type(function: nodes.NodeNG) -> bool:
    """The function gives a content type other than HTML somewhere: its response may not be HTML."""
    for node in function.nodes_of_class((nodes.Keyword, nodes.Const, nodes.AssignAttr)):
        if isinstance(node, nodes.Keyword) and node.arg in ("mimetype", "content_type"):
            if not _is_html_type(node.value):
                return True
        elif isinstance(node, nodes.AssignAttr) and node.attrname in ("mimetype", "content_type"):
            if not isinstance(node.parent, nodes.Assign) or not _is_html_type(node.parent.value):
                return True
        elif isinstance(node, nodes.Const) and isinstance(node.value, str) and node.value.lower() == "content-type":
            return True
    return False


def _is_html_type(node: nodes.NodeNG) -> bool:
    return isinstance(node, nodes.Const) and isinstance(node.value, str) and node.value.startswith("text/html")


# -- small helpers ----------------------------------------------------------------------------
def _local_value(name: nodes.Name) -> nodes.NodeNG | None:
    """The value of a name bound once by a plain assignment in the enclosing function."""
    scope, bindings = name.lookup(name.name)
    if not isinstance(scope, _FUNCTIONS) or len(bindings) != 1:
        return None
    binding = bindings[0]
    parent = binding.parent
    if isinstance(parent, nodes.Assign) and parent.targets == [binding]:
        return parent.value
    if isinstance(parent, nodes.AnnAssign) and parent.target is binding:
        return parent.value
    return None


def _is_method(node: nodes.NodeNG, *names: str) -> bool:
    return (
        isinstance(node, nodes.Call) and isinstance(node.func, nodes.Attribute) and node.func.attrname in names
    )


def _target_name(target: nodes.NodeNG) -> str | None:
    if isinstance(target, nodes.AssignAttr):
        return target.attrname
    if isinstance(target, nodes.AssignName):
        return target.name
    return None


def _attribute_name(node: nodes.NodeNG) -> str | None:
    if isinstance(node, nodes.Attribute):
        return node.attrname
    if isinstance(node, nodes.Name):
        return node.name
    return None
