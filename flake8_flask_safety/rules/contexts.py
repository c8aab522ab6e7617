"""FKS3xx: request and application contexts used where Flask has not pushed them."""

from __future__ import annotations

from typing import Iterator

from astroid import nodes

from ..model import FlaskFile
from ..model.handlers import ContextUse, Offload, enclosing_functions
from ..options import Options
from . import Finding

MESSAGES = {
    "FKS301": "{name} used at import time ({where}): no request exists then, so this raises "
    "'RuntimeError: Working outside of request context'",
    "FKS302": "{name} used at import time ({where}): no application context exists then, so this raises "
    "'RuntimeError: Working outside of application context'",
    "FKS303": "{name} used in {function}(), which runs {how}: {why}",
    "FKS304": "{name} read in {function}(), a helper that is not a view, request hook or handler: "
    "read request data in the view and pass the values down as arguments",
}
DEFAULT_OFF = frozenset({"FKS304"})

_REQUEST_GLOBALS = frozenset({"request", "session"})
_WHY_REQUEST = (
    "the request that started it is gone (or was never there), so this raises "
    "'Working outside of request context'; pass the values in as arguments or wrap the function "
    "in copy_current_request_context"
)
_WHY_APP = (
    "Flask does not push an application context there, so this raises 'Working outside of "
    "application context'; pass the app in and use 'with app.app_context():'"
)
_WHY_CLI = (
    "a CLI command has an application context but never a request, so this raises "
    "'Working outside of request context'"
)
_WHY_TASK = (
    "a worker runs it long after the request, in another process, so this raises "
    "'Working outside of request context'; pass the values in as job arguments"
)


def check(file: FlaskFile, options: Options) -> Iterator[Finding]:
    uses = [use for use in file.handlers.context_uses if use.dereferenced]
    if not uses:
        return
    yield from _import_time(file, uses)
    yield from _offloaded(file, uses)
    if options.computes("FKS304"):
        yield from _helpers(file, uses)


# -- FKS301, FKS302 -----------------------------------------------------------------------------
def _import_time(file: FlaskFile, uses: list[ContextUse]) -> Iterator[Finding]:
    if _runs_under_a_cli_context(file):
        return
    for use in uses:
        where = import_time_place(use.node)
        if where is None:
            continue
        pushed = file.handlers.pushed_context(use.node)
        if use.name in _REQUEST_GLOBALS:
            if pushed != "request":
                yield Finding.at(use.node, "FKS301", MESSAGES["FKS301"].format(name=use.name, where=where))
        elif pushed is None and _creates_app_at_import(file):
            yield Finding.at(use.node, "FKS302", MESSAGES["FKS302"].format(name=use.name, where=where))


def _runs_under_a_cli_context(file: FlaskFile) -> bool:
    """Alembic's env.py and migration scripts: ``flask db`` runs them inside an app context."""
    return any(
        (isinstance(node, nodes.ImportFrom) and node.modname.split(".")[0] == "alembic")
        or (isinstance(node, nodes.Import) and any(name.split(".")[0] == "alembic" for name, _ in node.names))
        for node in file.index.imports
    )


def _creates_app_at_import(file: FlaskFile) -> bool:
    """The module builds its app at module level, so importing it cannot happen inside that app's
    context. A module without one may be imported inside ``with app.app_context():`` by a factory
    (a common way to register blueprints), where module-level ``current_app`` works."""
    for statement in file.module.body:
        if isinstance(statement, (nodes.Assign, nodes.AnnAssign)) and isinstance(statement.value, nodes.Call):
            if file.objects.is_app(statement.value):
                return True
    return False


def import_time_place(node: nodes.NodeNG) -> str | None:
    """Where ``node`` runs while its module is imported, in words, or None when it runs later."""
    where = "module level"
    child, parent = node, node.parent
    while parent is not None:
        if isinstance(parent, nodes.Lambda):
            if child is not parent.args:
                return None
            where = "a lambda's parameter default"
        elif isinstance(parent, (nodes.FunctionDef, nodes.AsyncFunctionDef)):
            if child is parent.args:
                where = f"a parameter default of {parent.name}()"
            elif child is parent.decorators:
                where = f"a decorator of {parent.name}()"
            else:
                return None
        elif isinstance(parent, nodes.ClassDef) and where == "module level":
            where = f"the body of class {parent.name}"
        child, parent = parent, parent.parent
    return where


# -- FKS303 ---------------------------------------------------------------------------------------
def _offloaded(file: FlaskFile, uses: list[ContextUse]) -> Iterator[Finding]:
    for function, offload in file.handlers.offloaded:
        for use in uses:
            if _runs_offloaded(file, use, function, offload):
                name = getattr(function, "name", "<lambda>")
                message = MESSAGES["FKS303"].format(
                    name=use.name, function=name, how=offload.how, why=_why(offload, use)
                )
                yield Finding.at(use.node, "FKS303", message)
                break


def _runs_offloaded(file: FlaskFile, use: ContextUse, function: nodes.NodeNG, offload: Offload) -> bool:
    if offload.kind in ("cli", "task") and use.name not in _REQUEST_GLOBALS:
        return False  # CLI commands have an app context; task workers usually push one
    around = enclosing_functions(use.node)
    if function not in around:
        return False
    inner = around[: around.index(function)]
    if any(file.handlers.copies_request_context(f) for f in inner):
        return False
    pushed = file.handlers.pushed_context(use.node)
    return not (pushed == "request" or (pushed == "app" and use.name not in _REQUEST_GLOBALS))


def _why(offload: Offload, use: ContextUse) -> str:
    if offload.kind == "cli":
        return _WHY_CLI
    if offload.kind == "task":
        return _WHY_TASK
    return _WHY_REQUEST if use.name in _REQUEST_GLOBALS else _WHY_APP


# -- FKS304 ---------------------------------------------------------------------------------------
def _helpers(file: FlaskFile, uses: list[ContextUse]) -> Iterator[Finding]:
    if file.is_test_module:
        return
    reported: set[int] = set()
    for use in uses:
        if use.name not in _REQUEST_GLOBALS:
            continue
        around = enclosing_functions(use.node)
        if not around or id(around[0]) in reported:
            continue
        if any(file.handlers.roles(f) or file.handlers.offload(f) for f in around):
            continue
        if any(file.handlers.copies_request_context(f) for f in around):
            continue
        if file.handlers.pushed_context(use.node) == "request":
            continue
        reported.add(id(around[0]))
        name = getattr(around[0], "name", "<lambda>")
        yield Finding.at(use.node, "FKS304", MESSAGES["FKS304"].format(name=use.name, function=name))
