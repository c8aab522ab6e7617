"""One walk over the astroid tree, grouping the nodes every rule family asks about."""

from __future__ import annotations

from collections import defaultdict
from itertools import chain
from typing import Callable, Iterable, Iterator, TypeVar
from operator import attrgetter

from astroid import nodes

from .lazy import cached_property

T = TypeVar("T")

_FUNCTIONS = (nodes.FunctionDef, nodes.AsyncFunctionDef, nodes.Lambda)
_SCOPES = (*_FUNCTIONS, nodes.ClassDef)
# The same classes for ``type(node) in ...``, quicker than ``isinstance`` in the walks up a tree
# that run for every call and attribute: the trees built here hold no subclasses of them.
_FUNCTION_TYPES = frozenset(_FUNCTIONS)
_SCOPE_TYPES = frozenset(_SCOPES)
_POSITION = attrgetter("lineno", "col_offset")
# The "name" under which ``NodeIndex.calls_named`` finds calls of what a call returns:
# ``app.errorhandler(404)(handler)``. No identifier is spelled so.
CALLED_RESULT = "()"


class NodeIndex:
    def __init__(self, module: nodes.Module) -> None:
        self.calls: list[nodes.Call] = []
        self.assignments: list[nodes.Assign | nodes.AnnAssign] = []
        self.classes: list[nodes.ClassDef] = []
        self.functions: list[nodes.FunctionDef] = []
        self.strings: list[nodes.Const] = []
        self.joined_strings: list[nodes.JoinedStr] = []
        self.returns: list[nodes.Return] = []
        self.imports: list[nodes.Import | nodes.ImportFrom] = []
        self._module = module
        self.compares: list[nodes.Compare] = []
        self.names: list[nodes.Name] = []
        self.aug_assignments: list[nodes.AugAssign] = []
        self.deletions: list[nodes.Delete] = []
        self.attributes: list[nodes.Attribute] = []
        self.yields: list[nodes.Yield | nodes.YieldFrom] = []
        self._generators: set[int] | None = None
        self._returns_by_function: dict[int, list[nodes.Return]] | None = None
        self._calls_by_function: dict[int, dict[str, set[str]]] = {}
        self._by_scope: dict[str, dict[int, list[nodes.NodeNG]]] = {}
        self._recorded: dict[tuple[str, int], list[nodes.NodeNG]] = {}
        self._memo: dict[str, object] = {}
        self._walk(module)

    def _walk(self, module: nodes.Module) -> None:
        # The rebuilder recorded every node while it built the tree (see ``build``): the nodes of
        # its fast visits grouped by class, the others in pre-order.
        buckets = _buckets(self)
        for kind, found in module.nodes_by_kind.items():  # type: ignore[attr-defined]
            if kind is nodes.Const:
                self.strings.extend(
                    node for node in found if isinstance(node.value, (str, bytes)) and not _is_docstring(node)
                )
            else:
                bucket = buckets.get(kind)
                if bucket is not None:
                    bucket.extend(found)
        for node in module.walked_nodes:  # type: ignore[attr-defined]
            kind = type(node)
            if kind is nodes.Const:
                if isinstance(node.value, (str, bytes)) and not _is_docstring(node):
                    self.strings.append(node)
                continue
            bucket = buckets.get(kind)
            if bucket is not None:
                bucket.append(node)
        for found in (self.calls, self.assignments, self.strings, self.joined_strings):
            found[:] = _in_source_order(found)

    @cached_property
    def import_or_alias_names(self) -> frozenset[str]:
        """Names that some scope of the file binds by an import or by a plain alias (``x = a.b``).

        Only such names can have a qualified name (see ``NameResolver``), so a name outside this
        set needs no scope lookup.
        """
        found = set(self._alias_assignment_names())
        for statement in self.imports:
            for imported, alias in statement.names:
                if isinstance(statement, nodes.Import):
                    found.add(alias or imported.split(".")[0])
                elif imported != "*":
                    found.add(alias or imported)
        return frozenset(found)

    @cached_property
    def function_names(self) -> frozenset[str]:
        """Names of the functions defined in the file, at any level."""
        return frozenset(function.name for function in self.functions)

    @cached_property
    def renamed_names(self) -> frozenset[str]:
        """Names whose qualified name may end in another word: ``import flask as fl``,
        ``from flask import Flask as F``, ``WebApp = flask.Flask``. Any other name ``x`` can only
        name ``<something>.x`` (see ``NameResolver.may_name``)."""
        found = set(self._alias_assignment_names())
        for statement in self.imports:
            for imported, alias in statement.names:
                last = imported.rsplit(".", 1)[-1] if isinstance(statement, nodes.Import) else imported
                if alias and alias != last:
                    found.add(alias)
        return frozenset(found)

    def _alias_assignment_names(self) -> Iterator[str]:
        for assignment in self.assignments:
            if isinstance(assignment.value, (nodes.Name, nodes.Attribute)):
                targets = assignment.targets if isinstance(assignment, nodes.Assign) else [assignment.target]
                for target in targets:
                    if isinstance(target, nodes.AssignName):
                        yield target.name

    @cached_property
    def _calls_by_callee(self) -> dict[str, list[nodes.Call]]:
        grouped: dict[str, list[nodes.Call]] = defaultdict(list)
        for call in self.calls:
            func = call.func
            if isinstance(func, nodes.Attribute):
                grouped[func.attrname].append(call)
            elif isinstance(func, nodes.Name):
                grouped[func.name].append(call)
            elif isinstance(func, nodes.Call):
                grouped[CALLED_RESULT].append(call)
        return grouped

    @cached_property
    def _call_order(self) -> dict[int, int]:
        return {id(call): order for order, call in enumerate(self.calls)}

    def calls_named(self, words: Iterable[str]) -> list[nodes.Call]:
        """The calls whose callee's last name is one of ``words`` (``send`` for ``send(x)`` and
        ``mail.send(x)``; ``CALLED_RESULT`` for ``f(x)(y)``), in the order of ``calls``. Read it;
        do not change it."""
        grouped = self._calls_by_callee
        found = [grouped[word] for word in words if word in grouped]
        if not found:
            return []
        if len(found) == 1:
            return found[0]
        order = self._call_order
        return sorted(chain.from_iterable(found), key=lambda call: order[id(call)])

    def calls_directly_in(self, scope: nodes.NodeNG) -> list[nodes.Call]:
        """Calls whose nearest enclosing function, lambda or class is ``scope``, in source order."""
        return self.directly_in("calls", scope)  # type: ignore[return-value]

    def directly_in(self, kind: str, scope: nodes.NodeNG) -> list[nodes.NodeNG]:
        """The nodes of ``self.<kind>`` (``"calls"``, ``"compares"``, ...) whose nearest enclosing
        function, lambda or class is ``scope``: its decorators and defaults, and its body without
        nested functions and classes. In the order of ``self.<kind>``."""
        if kind in _RECORDED_BY_SCOPE and self._module.nodes_by_scope is not None:  # type: ignore[attr-defined]
            return self._recorded_in(kind, scope)
        grouped = self._by_scope.get(kind)
        if grouped is None:
            grouped = defaultdict(list)
            scope_types = _SCOPE_TYPES
            for node in getattr(self, kind):
                parent = node.parent  # the walk of ``_enclosing_scope``, inline: thousands per file
                while parent is not None and type(parent) not in scope_types:
                    parent = parent.parent
                grouped[id(parent)].append(node)
            self._by_scope[kind] = grouped
        return grouped.get(id(scope), [])

    def _recorded_in(self, kind: str, scope: nodes.NodeNG) -> list[nodes.NodeNG]:
        # The rebuilder recorded them by scope, each scope's in pre-order. Calls are put in the
        # order of ``self.calls``: a stable sort by position of the same pre-order.
        key = (kind, id(scope))
        found = self._recorded.get(key)
        if found is None:
            record = self._module.nodes_by_scope.get(id(scope))  # type: ignore[attr-defined]
            found = record[_RECORDED_BY_SCOPE[kind]] if record is not None else []
            if kind == "calls" and len(found) > 1:
                found = _in_source_order(found)
            self._recorded[key] = found
        return found

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per file: derived data several rules or functions ask for."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[return-value]

    def returns_of(self, function: nodes.FunctionDef) -> list[nodes.Return]:
        """``return`` statements that belong to ``function`` itself, not to nested functions."""
        if self._returns_by_function is None:
            grouped: dict[int, list[nodes.Return]] = defaultdict(list)
            for ret in self.returns:
                grouped[id(enclosing_function(ret))].append(ret)
            self._returns_by_function = grouped
        return self._returns_by_function.get(id(function), [])

    def is_generator(self, function: nodes.FunctionDef) -> bool:
        """``function`` is a generator, as Python decides it: a ``yield`` in its body, not in a
        nested function or lambda (a ``yield`` in its decorators or defaults belongs to the code
        around the ``def``). astroid's ``is_generator`` walks the whole function, twice, and
        misses a ``yield`` inside a call or an operand."""
        if self._generators is None:
            self._generators = {id(_yielding_function(found)) for found in self.yields}
        return id(function) in self._generators

    def methods_called_on(self, function: nodes.FunctionDef, name: str) -> set[str]:
        """Method names called as ``name.method(...)`` inside ``function`` (decorators included)."""
        by_name = self._calls_by_function.get(id(function))
        if by_name is None:
            by_name = defaultdict(set)
            for call in self.calls:
                func = call.func
                if (
                    isinstance(func, nodes.Attribute)
                    and isinstance(func.expr, nodes.Name)
                    and is_inside(call, function)
                ):
                    by_name[func.expr.name].add(func.attrname)
            self._calls_by_function[id(function)] = by_name
        return by_name.get(name, set())

    def self_attribute_values(self, klass: nodes.ClassDef, attribute: str) -> list[nodes.NodeNG]:
        """Values assigned to ``self.<attribute>`` in ``klass``'s methods, or in its body."""
        values: list[nodes.NodeNG] = []
        for assignment in self.assignments:
            if assignment.value is None:
                continue
            targets = assignment.targets if isinstance(assignment, nodes.Assign) else [assignment.target]
            for target in targets:
                if (
                    isinstance(target, nodes.AssignAttr)
                    and target.attrname == attribute
                    and isinstance(target.expr, nodes.Name)
                    and target.expr.name in ("self", "cls")
                    and target.scope().parent is klass
                ):
                    values.append(assignment.value)
                elif (
                    isinstance(target, nodes.AssignName)
                    and target.name == attribute
                    and assignment.parent is klass
                ):
                    values.append(assignment.value)
        return values


# Where each kind sits in what the rebuilder recorded for each scope (see ``build._FastRebuilder``).
_RECORDED_BY_SCOPE = {"calls": 0, "attributes": 1, "compares": 2}


def _buckets(index: NodeIndex) -> dict[type, list]:  # type: ignore[type-arg]
    return {
        nodes.Call: index.calls,
        nodes.Assign: index.assignments,
        nodes.AnnAssign: index.assignments,
        nodes.JoinedStr: index.joined_strings,
        nodes.Return: index.returns,
        nodes.ClassDef: index.classes,
        nodes.FunctionDef: index.functions,
        nodes.AsyncFunctionDef: index.functions,
        nodes.Import: index.imports,
        nodes.ImportFrom: index.imports,
        nodes.Compare: index.compares,
        nodes.Name: index.names,
        nodes.AugAssign: index.aug_assignments,
        nodes.Delete: index.deletions,
        nodes.Attribute: index.attributes,
        nodes.Yield: index.yields,
        nodes.YieldFrom: index.yields,
    }


_DOCUMENTED = (nodes.Module, nodes.ClassDef, nodes.FunctionDef, nodes.AsyncFunctionDef)


def _is_docstring(node: nodes.Const) -> bool:
    # A docstring is the ``doc_node`` of its module, class or function, not one of its statements.
    parent = node.parent
    return isinstance(parent, _DOCUMENTED) and parent.doc_node is node


def enclosing_function(node: nodes.NodeNG) -> nodes.NodeNG | None:
    parent = node.parent
    while parent is not None and type(parent) not in _FUNCTION_TYPES:
        parent = parent.parent
    return parent


def _yielding_function(found: nodes.Yield | nodes.YieldFrom) -> nodes.NodeNG | None:
    child, parent = found, found.parent
    while parent is not None:
        if isinstance(parent, nodes.Lambda) and child is parent.body:
            return parent
        if isinstance(parent, (nodes.FunctionDef, nodes.AsyncFunctionDef)) and child.is_statement:
            return parent  # a statement of its body, not its decorators, arguments or annotation
        child, parent = parent, parent.parent
    return None


def is_inside(node: nodes.NodeNG, ancestor: nodes.NodeNG) -> bool:
    """``ancestor`` is a parent, grandparent, ... of ``node``."""
    parent = node.parent
    while parent is not None:
        if parent is ancestor:
            return True
        parent = parent.parent
    return False


def source_position(node: nodes.NodeNG) -> tuple[int, int]:
    """(line, column) of ``node``, 0 for what astroid leaves unknown."""
    return (node.lineno or 0, node.col_offset or 0)


def _in_source_order(found: list[T]) -> list[T]:
    """``found`` sorted by position; a stable sort, so nodes that start together keep their order."""
    try:
        return sorted(found, key=_POSITION)  # every node parsed from source has both
    except TypeError:  # a None among them: read it as 0
        return sorted(found, key=source_position)  # type: ignore[arg-type]
