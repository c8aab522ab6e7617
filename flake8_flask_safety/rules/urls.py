"""FKS6xx (part): redirects to hard-coded paths and url_for() endpoints that no view defines."""

from __future__ import annotations

import functools
import os
import re
from typing import Iterator, NamedTuple

from astroid import nodes

from ..model import FlaskFile
from ..model.index import enclosing_function
from ..model.file_cache import FileCache
from ..model.project import MAX_FILE_BYTES, PROJECT
from ..model.routes import Route, blueprint_name, local_endpoint, owner_key
from ..options import Options
from . import Finding

MESSAGES = {
    "FKS602": "redirect() to the hard-coded path {path!r}: use url_for() so the link follows the route "
    "and the app's mount point",
    "FKS604": "url_for({endpoint!r}): no view of {owner} defines this endpoint; Flask raises BuildError "
    "when the page is built",
}

_REDIRECTS = frozenset({"flask.redirect", "flask.helpers.redirect", "werkzeug.utils.redirect", "werkzeug.redirect"})
_URL_FOR = frozenset({"flask.url_for", "flask.helpers.url_for"})
# Extensions whose constructors and init_app() take the app without adding endpoints to it.
_NO_ENDPOINT_EXTENSIONS = frozenset(
    {
        "flask_sqlalchemy", "flask_migrate", "flask_login", "flask_bcrypt", "flask_wtf", "flask_mail",
        "flask_moment", "flask_cors", "flask_session", "flask_marshmallow", "flask_limiter",
        "flask_caching", "flask_babel", "flask_socketio", "flask_jwt_extended", "flask_compress",
        "flask_talisman", "flask_seasurf", "flask_httpauth", "flask_pymongo", "flask_mongoengine",
        "flask_redis", "flask_mysqldb", "flask_cache", "flask_script", "flask_uploads", "werkzeug",
        "flask_sslify", "flask_humanize",
    }
)
_SIBLING_LIMIT = 60
_MAX_CHAIN = 50  # operands of "a" + b + c ... followed to find the leading literal
_ROUTE_DECORATOR = re.compile(r"@[\w.]+\.(?:route|get|post|put|patch|delete)\(")


def check(file: FlaskFile, options: Options) -> Iterator[Finding]:
    if file.is_test_module:
        return  # tests build their own throwaway apps and redirects
    yield from _hard_coded_redirects(file)
    yield from _unknown_endpoints(file)


# -- FKS602 -------------------------------------------------------------------------------------
def _hard_coded_redirects(file: FlaskFile) -> Iterator[Finding]:
    for call in file.calls_of(_REDIRECTS):
        qname = file.names.qualified_name(call.func) or ""
        if qname.startswith("werkzeug") and not _imports_flask(file):
            continue
        found = file.values.argument(call, 0, "location")
        if found is None:
            continue
        path = _hard_coded_path(file, found[1])
        if path is not None:
            yield Finding.at(found[1], "FKS602", MESSAGES["FKS602"].format(path=path))


def _hard_coded_path(file: FlaskFile, node: nodes.NodeNG) -> str | None:
    """The literal path a redirect target starts with, when it names a path of this site."""
    whole = file.values.value(node)
    if isinstance(whole, str):
        return whole if _is_site_path(whole) else None
    leading = _leading_literal(file, node)
    # "/" + anything says nothing about which route; "/posts/" + id does.
    if leading is not None and _is_site_path(leading) and len(leading.strip("/")) > 0:
        return leading + "..."
    return None


def _leading_literal(file: FlaskFile, node: nodes.NodeNG) -> str | None:
    for _ in range(_MAX_CHAIN):
        if not (isinstance(node, nodes.BinOp) and node.op in ("+", "%")):
            break
        left = file.values.value(node.left)
        if isinstance(left, str):
            return left
        node = node.left
    if isinstance(node, nodes.JoinedStr) and node.values:
        first = node.values[0]
        if isinstance(first, nodes.Const) and isinstance(first.value, str):
            return first.value
        return None
    if isinstance(node, nodes.Call) and isinstance(node.func, nodes.Attribute) and node.func.attrname == "format":
        template = file.values.value(node.func.expr)
        return template.split("{", 1)[0] if isinstance(template, str) else None
    return None


def _is_site_path(text: str) -> bool:
    return text.startswith("/") and not text.startswith(("//", "/\\"))


def _imports_flask(file: FlaskFile) -> bool:
    for statement in file.module.body:
        if isinstance(statement, nodes.ImportFrom) and not statement.level:
            if statement.modname.split(".")[0] == "flask":
                return True
        elif isinstance(statement, nodes.Import):
            if any(name.split(".")[0] == "flask" for name, _ in statement.names):
                return True
    return False


# -- FKS604 -------------------------------------------------------------------------------------
class Owner(NamedTuple):
    """An app or blueprint built at module level whose views, as far as we can tell, are all here."""

    binding: nodes.AssignName
    kind: str  # "app" or "blueprint"
    name: str | None  # the blueprint's name
    endpoints: frozenset[str]

    @property
    def label(self) -> str:
        return f"app {self.binding.name!r}" if self.kind == "app" else f"blueprint {self.name!r}"


def _unknown_endpoints(file: FlaskFile) -> Iterator[Finding]:
    calls = [
        (call, found)
        for call in file.calls_of(_URL_FOR)
        if (found := file.values.argument(call, 0, "endpoint")) is not None
        and isinstance(file.values.value(found[1]), str)
    ]
    if not calls:
        return
    created = _module_level_objects(file)
    owners = _owners_closed_in_file(file, created)
    if not owners:
        return
    app_count = sum(1 for _, kind in created if kind == "app")
    findings = []
    for call, (_, endpoint_node) in calls:
        endpoint = file.values.value(endpoint_node)
        target = _target(file, call, endpoint, owners, app_count)
        if target is None:
            continue
        owner, local = target
        if local != "static" and local not in owner.endpoints:
            message = MESSAGES["FKS604"].format(endpoint=endpoint, owner=owner.label)
            findings.append(Finding.at(endpoint_node, "FKS604", message))
    # Asked last, as they read other files of the project: most files have nothing to report.
    if findings and not _imports_project_modules(file) and not _others_register_routes(file):
        yield from findings


def _target(
    file: FlaskFile, call: nodes.Call, endpoint: str, owners: list[Owner], app_count: int
) -> tuple[Owner, str] | None:
    """The owner an endpoint refers to and its name inside that owner, when both are known."""
    apps = [owner for owner in owners if owner.kind == "app"]
    if endpoint.startswith("."):
        current = _current_owner(file, call, owners)
        return None if current is None else (current, endpoint[1:])
    if "." not in endpoint:
        return (apps[0], endpoint) if len(apps) == 1 and app_count == 1 else None
    name, _, local = endpoint.partition(".")
    if "." in local:
        return None  # nested blueprints
    matching = [owner for owner in owners if owner.kind == "blueprint" and owner.name == name]
    return (matching[0], local) if len(matching) == 1 else None


def _current_owner(file: FlaskFile, call: nodes.Call, owners: list[Owner]) -> Owner | None:
    """The app or blueprint whose view makes the call (``.name`` is relative to it)."""
    function = enclosing_function(call)
    routes = [route for route in file.routes if route.view is function and function is not None]
    if not routes:
        return None
    keys = {owner_key(route) for route in routes}
    if len(keys) != 1:
        return None
    for owner in owners:
        if owner_key(routes[0]) == (id(owner.binding), owner.binding.name):
            return owner
    return None


def _owners_closed_in_file(file: FlaskFile, created: list[tuple[nodes.AssignName, str]]) -> list[Owner]:
    """The module's apps and blueprints whose views are all known, as far as this file shows: the
    other modules of the project, which may add views too, are asked about by the caller."""
    if not created:
        return []
    escaped = _escaped_bindings(file, {binding.name for binding, _ in created})
    if escaped is None:
        return []
    routes_by_owner: dict[tuple[object, str], list[Route]] = {}
    for route in file.routes:
        routes_by_owner.setdefault(owner_key(route), []).append(route)
    owners = []
    for binding, kind in created:
        if id(binding) in escaped:
            continue
        endpoints = _endpoints_of(file, routes_by_owner.get((id(binding), binding.name), []))
        if endpoints is None:
            continue
        name = None
        if kind == "blueprint":
            name = blueprint_name(file, binding.parent.value)
            if name is None:
                continue
        owners.append(Owner(binding, kind, name, endpoints))
    return owners


def _module_level_objects(file: FlaskFile) -> list[tuple[nodes.AssignName, str]]:
    found = []
    for statement in file.module.body:
        if not (isinstance(statement, nodes.Assign) and len(statement.targets) == 1):
            continue
        target = statement.targets[0]
        if not isinstance(target, nodes.AssignName) or not isinstance(statement.value, nodes.Call):
            continue
        if len(file.module.locals.get(target.name, ())) != 1:
            continue
        qname = file.names.qualified_name(statement.value.func)
        if qname == "flask.Flask":
            found.append((target, "app"))
        elif qname == "flask.Blueprint":
            found.append((target, "blueprint"))
    return found


def _endpoints_of(file: FlaskFile, routes: list[Route]) -> frozenset[str] | None:
    endpoints = set()
    for route in routes:
        endpoint = local_endpoint(file, route)
        if endpoint is None:
            return None
        endpoints.add(endpoint)
    return frozenset(endpoints)


def _sole_binding(node: nodes.NodeNG, names: set[str]) -> nodes.NodeNG | None:
    if not isinstance(node, nodes.Name) or node.name not in names:
        return None
    _, bindings = node.lookup(node.name)
    return bindings[0] if len(bindings) == 1 else None


def _escaped_bindings(file: FlaskFile, names: set[str]) -> set[int] | None:
    """ids of the module's objects that other code could add views to: objects handed to unknown
    code, aliased or given endpoints some other way (``app.endpoint()``); None when the module adds
    endpoints behind every object's back (``url_map.add``, ``view_functions[...]``)."""
    escaped: set[int] = set()

    def mark(node: nodes.NodeNG) -> None:
        binding = _sole_binding(node, names)
        if binding is not None:
            escaped.add(id(binding))

    for call in file.index.calls:
        func = call.func
        if isinstance(func, nodes.Attribute):
            if func.attrname in ("endpoint", "add_url_rule_for"):
                mark(func.expr)
            if func.attrname == "add" and "url_map" in func.as_string():
                return None
        arguments = list(call.args) + [keyword.value for keyword in call.keywords or ()]
        named = [argument for argument in arguments if isinstance(argument, nodes.Name) and argument.name in names]
        if named and not _adds_no_endpoints(file, call):
            for argument in named:
                mark(argument)
    for assignment in file.index.assignments:
        if assignment.value is not None:
            mark(assignment.value)
        targets = assignment.targets if isinstance(assignment, nodes.Assign) else [assignment.target]
        for target in targets:
            if isinstance(target, nodes.Subscript) and "view_functions" in target.value.as_string():
                return None
    return escaped


def _adds_no_endpoints(file: FlaskFile, call: nodes.Call) -> bool:
    func = call.func
    if isinstance(func, nodes.Attribute) and func.attrname in ("register_blueprint", "run"):
        return True
    if isinstance(func, nodes.Attribute) and func.attrname == "init_app":
        func = file.values.origin(func.expr)
        if isinstance(func, nodes.Call):
            func = func.func
    qname = file.names.qualified_name(func) if func is not None else None
    return qname is not None and qname.split(".")[0] in _NO_ENDPOINT_EXTENSIONS


def _imports_project_modules(file: FlaskFile) -> bool:
    """The module imports another module of the project that imports it back and registers routes
    (``bp = Blueprint(...)`` then ``from . import views``)."""
    stem = _import_stem(file)
    for node in file.index.imports:
        if isinstance(node, nodes.ImportFrom):
            prefix = "." * (node.level or 0) + (node.modname or "")
            joiner = "" if prefix.endswith(".") or not prefix else "."
            names = [prefix] + [f"{prefix}{joiner}{name}" for name, _ in node.names]
        else:
            names = [name for name, _ in node.names]
        for name in names:
            path = PROJECT.find_module(file.path, name) if name.strip(".") or name else None
            if path is not None and os.path.abspath(path) != os.path.abspath(file.path):
                if _imports_and_routes(path, stem):
                    return True
    return False


def _import_stem(file: FlaskFile) -> str:
    """The last part of the dotted name other modules import this one by."""
    if file.module_stem == "__init__":
        return os.path.basename(os.path.dirname(os.path.abspath(file.path)))
    return file.module_stem


def _others_register_routes(file: FlaskFile) -> bool:
    """A neighbouring module imports this one and registers routes (``from app import app``)."""
    directory = os.path.dirname(os.path.abspath(file.path))
    if file.module_stem == "__init__":
        directory = os.path.dirname(directory)
    return _neighbours_register_routes(directory, _import_stem(file), os.path.abspath(file.path))


def _neighbours_register_routes(directory: str, stem: str, own: str) -> bool:
    try:
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError:
        return True
    checked = 0
    for entry in entries:
        paths = [entry.path] if entry.name.endswith(".py") else []
        if entry.is_dir() and os.path.isfile(os.path.join(entry.path, "__init__.py")):
            paths = [os.path.join(entry.path, name) for name in sorted(os.listdir(entry.path)) if name.endswith(".py")]
        for path in paths:
            if os.path.abspath(path) == own:
                continue
            checked += 1
            if checked > _SIBLING_LIMIT or _imports_and_routes(path, stem):
                return True  # too many to read counts as "someone may"
    return False


@functools.lru_cache(maxsize=256)
def _import_pattern(stem: str) -> re.Pattern[str]:
    word = re.escape(stem)
    return re.compile(
        rf"^\s*(?:from\s+[\w.]*\b{word}\b[\w.]*\s+import\b"
        rf"|from\s+\.+\s+import\s+[^\n]*\b{word}\b"
        rf"|import\s+[^\n]*\b{word}\b)",
        re.M,
    )


def _imports_and_routes(path: str, stem: str) -> bool:
    """The module at ``path`` imports something named ``stem`` and registers routes."""
    text = _ROUTING_TEXTS.get(path, _routing_text)
    if text is None:
        return True  # missing, too big or unreadable: it may
    return bool(text) and _import_pattern(stem).search(text) is not None


def _routing_text(text: str, path: str) -> str:
    """The module's text if it registers routes, else ``""``."""
    return text if "add_url_rule" in text or _ROUTE_DECORATOR.search(text) else ""


# The neighbours of every linted module are read again for each of them: the answer is kept per
# path (checked against size and modification time), and only the text of modules that register
# routes.
_ROUTING_TEXTS: FileCache[str] = FileCache(256, MAX_FILE_BYTES)
