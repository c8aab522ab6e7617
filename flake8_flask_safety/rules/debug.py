"""FKS1xx: debug mode and the development server."""

from __future__ import annotations

from typing import Any, Iterator, NamedTuple

from astroid import nodes

from ..model import FlaskFile
from ..model.config import ConfigWrite, name_tokens
from ..model.index import is_inside
from ..model.values import UNKNOWN
from ..options import Options
from . import Finding

MESSAGES = {
    "FKS101": "debug mode on in {call}(): a 500 error opens the Werkzeug debugger, a Python shell for anyone",
    "FKS102": "debug mode switched on through configuration ({how}); it ships to every environment that loads it",
    "FKS103": "Werkzeug debugger enabled ({how}): its console runs any Python code a visitor types",
    "FKS104": "{call}() runs at import time: a WSGI server importing this module starts the development server",
    "FKS105": "development server bound to every interface (host={host!r}); bind to 127.0.0.1 or use a WSGI server",
}

_RUN_SIMPLE = "werkzeug.serving.run_simple"
_DEBUGGED_APPLICATION = "werkzeug.debug.DebuggedApplication"
_WERKZEUG_QNAMES = frozenset({_RUN_SIMPLE, _DEBUGGED_APPLICATION})
_RUN = frozenset({"run"})
_ALL_INTERFACES = frozenset({"0.0.0.0", "::", "", "[::]"})
_FALSE_ENV_VALUES = frozenset({"", "0", "false", "no"})


class ServerCall(NamedTuple):
    """A call that starts a development server, with where its arguments sit."""

    call: nodes.Call
    label: str  # "app.run", "socketio.run", "run_simple"
    host: tuple[int | None, str]
    debug: tuple[int | None, str] | None
    debugger: tuple[tuple[int | None, str], ...]
    may_run_at_import: bool


def check(file: FlaskFile, options: Options) -> Iterator[Finding]:
    for call in file.calls_to(_WERKZEUG_QNAMES, also=_RUN):
        server = _server_call(file, call)
        if server is not None:
            yield from _check_server_call(file, server)
        elif file.names.refers_to(call.func, _DEBUGGED_APPLICATION):
            # Under ``if debug:`` / ``if use_debugger:`` the debugger follows a run-time switch,
            # as in servers and extensions that implement a debug option themselves.
            if not _in_development_branch(call, options):
                yield _debugged_application(file, call)
    if not file.is_test_module:
        for write in file.config_writes:
            finding = _debug_config_finding(file, write, options)
            if finding is not None:
                yield finding


# -- servers: FKS101, FKS103, FKS104, FKS105 --------------------------------------------------
def _server_call(file: FlaskFile, call: nodes.Call) -> ServerCall | None:
    func = call.func
    if isinstance(func, nodes.Attribute) and func.attrname == "run":
        kind = file.objects.kind_of(func.expr)
        if kind == "registrar" and file.uses_flask:
            # A parameter that routes are registered on and that has run(): blueprints have no
            # run(), so it is the app (``def init_app(app): @app.route(...) ... app.run()``).
            kind = "app"
        if kind == "app":
            return ServerCall(
                call, "app.run", (0, "host"), (2, "debug"),
                ((None, "use_debugger"), (None, "use_evalex")), True,
            )
        if kind == "socketio":
            return ServerCall(call, "socketio.run", (1, "host"), (None, "debug"), (), True)
        return None
    if file.names.refers_to(func, _RUN_SIMPLE):
        return ServerCall(
            call, "run_simple", (0, "hostname"), None,
            ((4, "use_debugger"), (5, "use_evalex")), False,
        )
    return None


def _argument(
    file: FlaskFile, call: nodes.Call, position: int | None, keyword: str
) -> tuple[nodes.NodeNG, nodes.NodeNG] | None:
    """(anchor, value) of an argument, anchored inside ``call``.

    A keyword that comes from a ``**options`` dict defined elsewhere is reported at the
    ``**options`` argument of this call, not at the dict: the dict may feed several calls, and
    a ``# noqa`` belongs on the call that starts the server.
    """
    found = file.values.argument(call, position, keyword)
    if found is None or is_inside(found[0], call):
        return found
    for kw in call.keywords or ():
        if kw.arg is None and keyword in (file.values.mapping_items(kw.value) or {}):
            return kw, found[1]
    return found


def _check_server_call(file: FlaskFile, server: ServerCall) -> Iterator[Finding]:
    call = server.call
    if server.debug is not None:
        found = _argument(file, call, *server.debug)
        if found is not None and _known_truthy(file.values.value(found[1])):
            yield Finding.at(found[0], "FKS101", MESSAGES["FKS101"].format(call=server.label))
    for position, keyword in server.debugger:
        found = _argument(file, call, position, keyword)
        if found is not None and _known_truthy(file.values.value(found[1])):
            how = f"{keyword}=True in {server.label}()"
            yield Finding.at(found[0], "FKS103", MESSAGES["FKS103"].format(how=how))
    if server.may_run_at_import and runs_at_import(file, call):
        yield Finding.at(call, "FKS104", MESSAGES["FKS104"].format(call=server.label))
    found = _argument(file, call, *server.host)
    if found is not None:
        host = file.values.value(found[1])
        if isinstance(host, str) and host.strip() in _ALL_INTERFACES:
            if not host.strip() and server.label == "app.run":
                # Flask.run() treats an empty host like None: SERVER_NAME's host or 127.0.0.1.
                return
            yield Finding.at(found[0], "FKS105", MESSAGES["FKS105"].format(host=host))


def _debugged_application(file: FlaskFile, call: nodes.Call) -> Finding:
    found = file.values.argument(call, 1, "evalex")
    evalex = found is not None and _known_truthy(file.values.value(found[1]))
    how = "DebuggedApplication(evalex=True), an open Python console" if evalex else "DebuggedApplication"
    return Finding.at(call, "FKS103", MESSAGES["FKS103"].format(how=how))


def _known_truthy(value: Any) -> bool:
    if value is UNKNOWN:
        return False
    try:
        return bool(value)
    except Exception:
        return False


def runs_at_import(file: FlaskFile, node: nodes.NodeNG) -> bool:
    """True when ``node`` executes while the module is imported (not under the main guard)."""
    if file.module_stem == "__main__":
        return False
    child, parent = node, node.parent
    while parent is not None:
        if isinstance(parent, (nodes.FunctionDef, nodes.AsyncFunctionDef, nodes.Lambda)):
            return False
        if isinstance(parent, nodes.If):
            guard = _main_guard(parent.test)
            if guard == "==" and child in parent.body:
                return False
            if guard == "!=" and child in parent.orelse:
                return False
        child, parent = parent, parent.parent
    return True


def _main_guard(test: nodes.NodeNG) -> str | None:
    if not isinstance(test, nodes.Compare) or len(test.ops) != 1:
        return None
    operator, right = test.ops[0]
    sides = {_side(test.left), _side(right)}
    if sides != {"name", "main"}:
        return None
    return {"==": "==", "!=": "!=", "is": "==", "is not": "!="}.get(operator)


def _side(node: nodes.NodeNG) -> str | None:
    if isinstance(node, nodes.Name) and node.name == "__name__":
        return "name"
    if isinstance(node, nodes.Const) and node.value == "__main__":
        return "main"
    return None


# -- configuration: FKS102 --------------------------------------------------------------------
def _debug_config_finding(file: FlaskFile, write: ConfigWrite, options: Options) -> Finding | None:
    value = file.values.value(write.value)
    if value is UNKNOWN:
        return None
    if write.via == "environ":
        if write.key == "FLASK_DEBUG" and isinstance(value, str) and value.strip().lower() not in _FALSE_ENV_VALUES:
            how = f"os.environ['FLASK_DEBUG'] = {value!r}"
        elif write.key == "FLASK_ENV" and value == "development":
            how = "os.environ['FLASK_ENV'] = 'development'"
        else:
            return None
    elif write.key == "DEBUG" and _known_truthy(value):
        if write.via in ("class", "module"):
            if not write.config_object or _marked_development(write.owner, options):
                return None
            how = f"DEBUG = {value!r} in {'class' if write.via == 'class' else 'config module'} {write.owner}"
        else:
            how = {"attribute": "app.debug = ", "item": "config['DEBUG'] = ", "call": "DEBUG="}[write.via]
            how += repr(value)
    else:
        return None
    if write.via not in ("class", "module") and _in_development_branch(write.anchor, options):
        return None
    return Finding.at(write.anchor, "FKS102", MESSAGES["FKS102"].format(how=how))


def _marked_development(name: str, options: Options) -> bool:
    return bool(options.dev_config_markers.intersection(name_tokens(name)))


def _in_development_branch(node: nodes.NodeNG, options: Options) -> bool:
    """Inside ``if <something about dev/debug/testing>:`` or a function named for development."""
    child, parent = node, node.parent
    while parent is not None:
        if isinstance(parent, nodes.If) and child in parent.body:
            words = set(name_tokens(parent.test.as_string()))
            if words & (options.dev_config_markers | {"debug", "debugger"}):
                return True
        if isinstance(parent, (nodes.FunctionDef, nodes.AsyncFunctionDef)):
            if _marked_development(parent.name, options):
                return True
        child, parent = parent, parent.parent
    return False
