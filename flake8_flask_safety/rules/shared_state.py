"""FKS8xx: state shared between requests."""

from __future__ import annotations

import re
from typing import Iterator

from astroid import nodes

from ..model import FlaskFile
from ..model.handlers import Function, enclosing_functions
from ..options import Options
from . import Finding

MESSAGES = {
    "FKS801": "{role} {function}() {verb} module-level {kind} {name!r} without a lock: requests race on "
    "threads, each worker process keeps its own copy, and all of it is lost on restart",
}

_HANDLER_ROLES = frozenset({"view", "hook"})
_MUTATORS = frozenset(
    {
        "append", "extend", "insert", "remove", "add", "discard", "update", "pop", "popitem",
        "clear", "setdefault", "appendleft", "extendleft", "popleft", "rotate", "sort", "reverse",
        "difference_update", "intersection_update", "symmetric_difference_update", "subtract",
        "move_to_end",
    }
)
_CONTAINER_CALLS = {
    "collections.Counter": "Counter",
    "collections.defaultdict": "defaultdict",
    "collections.OrderedDict": "OrderedDict",
    "collections.deque": "deque",
}
_BUILTIN_CONTAINERS = frozenset({"list", "dict", "set"})
_LITERALS = {
    nodes.List: "list", nodes.Dict: "dict", nodes.Set: "set",
    nodes.ListComp: "list", nodes.DictComp: "dict", nodes.SetComp: "set",
}
_LOCK_FACTORIES = frozenset(
    {
        "threading.Lock", "threading.RLock", "threading.Semaphore", "threading.BoundedSemaphore",
        "threading.Condition", "multiprocessing.Lock", "multiprocessing.RLock", "asyncio.Lock",
    }
)
_LOCK_WORDS = re.compile(r"lock|mutex|semaphore", re.I)


def check(file: FlaskFile, options: Options) -> Iterator[Finding]:
    if file.is_test_module:
        return
    containers = _module_containers(file)
    handlers = file.handlers.functions_with(_HANDLER_ROLES)
    if not handlers:
        return
    for target, name, verb in _mutations(file, containers):
        handler = _handler_around(file, target)
        if handler is None or _locked(file, target, handler):
            continue
        roles = file.handlers.roles(handler)
        role = "view" if "view" in roles else "request hook"
        kind = containers.get(name, "variable") if verb == "mutates" else "variable"
        message = MESSAGES["FKS801"].format(
            role=role, function=getattr(handler, "name", "<lambda>"), verb=verb, kind=kind, name=name
        )
        yield Finding.at(target, "FKS801", message)


def _module_containers(file: FlaskFile) -> dict[str, str]:
    """Module-level names bound only to plain containers (list, dict, set, collections types)."""
    found: dict[str, str] = {}
    rebound: set[str] = set()
    for statement in file.module.body:
        if isinstance(statement, nodes.Assign):
            targets, value = statement.targets, statement.value
        elif isinstance(statement, nodes.AnnAssign) and statement.value is not None:
            targets, value = [statement.target], statement.value
        else:
            continue
        kind = _container_kind(file, value)
        for target in targets:
            if isinstance(target, nodes.AssignName):
                if kind is None:
                    rebound.add(target.name)
                else:
                    found[target.name] = kind
    return {name: kind for name, kind in found.items() if name not in rebound}


def _container_kind(file: FlaskFile, value: nodes.NodeNG) -> str | None:
    for literal, kind in _LITERALS.items():
        if isinstance(value, literal):
            return kind
    if not isinstance(value, nodes.Call):
        return None
    func = value.func
    if isinstance(func, nodes.Name) and func.name in _BUILTIN_CONTAINERS:
        scope, bindings = func.lookup(func.name)
        builtin = not bindings or scope.root().name == "builtins"
        return func.name if builtin else None
    return _CONTAINER_CALLS.get(file.names.qualified_name(func) or "")


def _mutations(file: FlaskFile, containers: dict[str, str]) -> Iterator[tuple[nodes.NodeNG, str, str]]:
    """(reported node, module-level name, verb) for every mutation of a module-level name."""
    for call in file.index.calls_named(_MUTATORS):
        func = call.func
        if isinstance(func, nodes.Attribute):
            name = _module_root(file, func.expr, containers)
            if name is not None:
                yield call, name, "mutates"
    for assignment in file.index.assignments:
        targets = assignment.targets if isinstance(assignment, nodes.Assign) else [assignment.target]
        for target in targets:
            yield from _store(file, target, containers)
    for aug in file.index.aug_assignments:
        yield from _store(file, aug.target, containers)
    for deletion in file.index.deletions:
        for target in deletion.targets:
            if isinstance(target, nodes.Subscript):
                name = _module_root(file, target.value, containers)
                if name is not None:
                    yield target, name, "mutates"


def _store(
    file: FlaskFile, target: nodes.NodeNG, containers: dict[str, str]
) -> Iterator[tuple[nodes.NodeNG, str, str]]:
    if isinstance(target, (nodes.Tuple, nodes.List)):
        for element in target.elts:
            yield from _store(file, element, containers)
    elif isinstance(target, nodes.Subscript):
        name = _module_root(file, target.value, containers)
        if name is not None:
            yield target, name, "mutates"
    elif isinstance(target, nodes.AssignName) and _declared_global(file, target):
        yield target, target.name, "rebinds"


def _module_root(file: FlaskFile, expr: nodes.NodeNG, containers: dict[str, str]) -> str | None:
    """The module-level container that ``expr`` (``items``, ``items[key]``, ...) belongs to."""
    while isinstance(expr, nodes.Subscript):
        expr = expr.value
    if not isinstance(expr, nodes.Name) or expr.name not in containers:
        return None
    scope, _ = expr.lookup(expr.name)
    return expr.name if scope is file.module else None


def _declared_global(file: FlaskFile, target: nodes.AssignName) -> bool:
    frame = target.frame()
    if frame is file.module or target.name in frame.locals:
        return False
    if target.name not in file.module.locals:
        return False
    return not _lazy_initialisation(target)


def _lazy_initialisation(target: nodes.AssignName) -> bool:
    """``if _cache is None: _cache = build()``: a one-time fill, not state that changes per request."""
    parent = target.parent
    while parent is not None and not isinstance(parent, (nodes.FunctionDef, nodes.AsyncFunctionDef)):
        if isinstance(parent, nodes.If):
            test = parent.test
            if isinstance(test, nodes.UnaryOp) and test.op == "not":
                test = test.operand
            if isinstance(test, nodes.Compare) and test.ops and test.ops[0][0] in ("is", "=="):
                test = test.left
            if isinstance(test, nodes.Name) and test.name == target.name:
                return True
        parent = parent.parent
    return False


def _handler_around(file: FlaskFile, node: nodes.NodeNG) -> Function | None:
    for function in enclosing_functions(node):
        if file.handlers.roles(function) & _HANDLER_ROLES:
            return function
    return None


def _locked(file: FlaskFile, node: nodes.NodeNG, handler: Function) -> bool:
    parent = node.parent
    while parent is not None and parent is not handler.parent:
        if isinstance(parent, (nodes.With, nodes.AsyncWith)):
            if any(_is_lock(file, expr) for expr, _ in parent.items):
                return True
        parent = parent.parent
    # ``lock.acquire()`` ... ``lock.release()`` in the handler
    return "acquire" in _called_methods(file, handler)


def _called_methods(file: FlaskFile, function: Function) -> set[str]:
    acquiring = file.index.memo("shared_state.lock_acquires", lambda: _lock_acquires(file))
    return {"acquire"} if any(function in enclosing for enclosing in acquiring) else set()


def _lock_acquires(file: FlaskFile) -> list[list[nodes.NodeNG]]:
    """For each ``<lock>.acquire()`` call of the file, the functions it sits in."""
    found = []
    for call in file.index.calls_named(("acquire",)):
        func = call.func
        if isinstance(func, nodes.Attribute) and _is_lock(file, func.expr):
            found.append(list(enclosing_functions(call)))
    return found


def _is_lock(file: FlaskFile, expr: nodes.NodeNG) -> bool:
    if isinstance(expr, nodes.Call):
        if file.names.is_one_of(expr.func, _LOCK_FACTORIES):
            return True
        expr = expr.func
    name = expr.attrname if isinstance(expr, nodes.Attribute) else getattr(expr, "name", "")
    if name and _LOCK_WORDS.search(name):
        return True
    if isinstance(expr, nodes.Name):
        _, bindings = expr.lookup(expr.name)
        for binding in bindings:
            parent = binding.parent
            if isinstance(parent, nodes.Assign) and isinstance(parent.value, nodes.Call):
                if file.names.is_one_of(parent.value.func, _LOCK_FACTORIES):
                    return True
    return False
