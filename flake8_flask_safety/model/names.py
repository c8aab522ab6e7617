"""Qualified names of expressions, resolved from the file's own imports.

``from flask import request as req`` makes ``req`` mean ``flask.request``; ``import flask as fl``
makes ``fl.Flask`` mean ``flask.Flask``. Nothing is imported: the import statements themselves are
read through astroid's scope lookups, so shadowing, function-local imports and aliases all work.
Relative imports keep their leading dots (``from .app import create_app`` gives
``.app.create_app``) so the project resolver can find the module beside the linted file.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Callable

from astroid import nodes

from .build import look_up, seen_from_function_body

if TYPE_CHECKING:
    from .index import NodeIndex

# Public re-exports and old import paths, mapped to one canonical name per object.
CANONICAL = {
    "flask.app.Flask": "flask.Flask",
    "flask.sansio.app.App": "flask.Flask",
    "flask.blueprints.Blueprint": "flask.Blueprint",
    "flask.globals.request": "flask.request",
    "flask.globals.session": "flask.session",
    "flask.globals.g": "flask.g",
    "flask.globals.current_app": "flask.current_app",
    "flask.Markup": "markupsafe.Markup",
    "jinja2.Markup": "markupsafe.Markup",
    "jinja2.utils.Markup": "markupsafe.Markup",
    "flask.escape": "markupsafe.escape",
    "jinja2.escape": "markupsafe.escape",
    "werkzeug.DebuggedApplication": "werkzeug.debug.DebuggedApplication",
    "werkzeug.run_simple": "werkzeug.serving.run_simple",
    "flask_socketio.socketio.SocketIO": "flask_socketio.SocketIO",
    "os.getenv": "os.getenv",
    "posix.environ": "os.environ",
}

# Names that ``from <module> import *`` brings in, for the modules this plugin models.
STAR_EXPORTS = {
    "flask": frozenset(
        {
            "Flask", "Blueprint", "request", "session", "g", "current_app", "Response",
            "render_template", "render_template_string", "redirect", "url_for", "abort",
            "jsonify", "make_response", "flash", "send_file", "send_from_directory",
            "stream_with_context", "copy_current_request_context", "has_request_context",
            "has_app_context", "get_flashed_messages", "after_this_request", "Config",
        }
    ),
    "os": frozenset({"environ", "getenv", "putenv", "urandom"}),
}

_MAX_ALIAS_DEPTH = 4


def last_words(*qnames: str) -> frozenset[str]:
    """The last words of qualified names, for ``NameResolver.may_name``."""
    return frozenset(qname.rsplit(".", 1)[-1] for qname in qnames)


# Last words of names that ``CANONICAL`` maps to a name ending in another word: ``App`` (of
# ``flask.sansio.app.App``) stands for ``Flask``.
_RENAMED_BY_CANONICAL: list[tuple[str, str]] = [
    (alias.rsplit(".", 1)[-1], target.rsplit(".", 1)[-1])
    for alias, target in CANONICAL.items()
    if alias.rsplit(".", 1)[-1] != target.rsplit(".", 1)[-1]
]


@functools.lru_cache(maxsize=256)
def _single(qname: str) -> frozenset[str]:
    return frozenset((qname,))


@functools.lru_cache(maxsize=512)
def _last_words_of(qnames: frozenset[str]) -> frozenset[str]:
    return last_words(*qnames)


@functools.lru_cache(maxsize=512)
def _accepted_last_words(words: frozenset[str]) -> frozenset[str]:
    """``words`` and the last words that ``CANONICAL`` renames to one of them."""
    return words | {alias for alias, target in _RENAMED_BY_CANONICAL if target in words}


def canonical(qname: str) -> str:
    return CANONICAL.get(qname, qname)


class NameResolver:
    """Answers "what does this expression name?" for one module."""

    def __init__(self, module: nodes.Module, index: Callable[[], NodeIndex] | None = None) -> None:
        """``index``, when given, returns the module's node index. Its import and alias names let
        other names be answered without a scope lookup, and its renamed names let ``may_name``
        rule out names without resolving them. Without it, every name is looked up."""
        self._module = module
        self._star_modules = tuple(
            node.modname
            for node in module.body
            if isinstance(node, nodes.ImportFrom)
            and node.level in (0, None)
            and any(name == "*" for name, _ in node.names)
        )
        self._cache: dict[int, str | None] = {}
        # Names that a top-level function or method reads but does not bind: astroid answers them
        # from the module alone, the same for every such function (see
        # ``_function_reading_outer_name``), so one lookup per name serves the whole file.
        self._from_function_body: dict[str, str | None] = {}
        self._module_level_only: dict[str, bool] = {}
        self._index = index
        self._resolvable: frozenset[str] | None = None

    def qualified_name(self, node: nodes.NodeNG) -> str | None:
        key = id(node)
        if key not in self._cache:
            self._cache[key] = self._resolve(node, 0)
        return self._cache[key]

    def may_name(self, node: nodes.NodeNG, last_words: frozenset[str]) -> bool:
        """False when ``qualified_name(node)`` surely does not end in one of ``last_words``
        (``"run_simple"`` for ``werkzeug.serving.run_simple``). Cheap: no lookup."""
        if isinstance(node, nodes.Attribute):
            last = node.attrname
        elif isinstance(node, nodes.Name):
            last = node.name
            if self._index is None or last in self._index().renamed_names:
                return True
        else:
            return False
        return last in _accepted_last_words(last_words)

    def callee_words(self, qnames: frozenset[str]) -> frozenset[str]:
        """Every last name a callee can have when ``may_name`` lets it through for ``qnames``:
        their last words, names renamed to one of them by ``CANONICAL``, and the file's renamed
        names (``import flask as fl``). ``index.calls_named`` of it holds every call whose callee
        ``is_one_of(qnames)``."""
        accepted = _accepted_last_words(_last_words_of(qnames))
        renamed = self._index().renamed_names if self._index is not None else frozenset()
        return accepted | renamed if renamed else accepted

    def is_one_of(self, node: nodes.NodeNG, qnames: frozenset[str]) -> bool:
        """``qualified_name(node) in qnames``, without resolving names that cannot match."""
        if not self.may_name(node, _last_words_of(qnames)):
            return False
        qname = self.qualified_name(node)
        return qname is not None and qname in qnames

    def refers_to(self, node: nodes.NodeNG, qname: str) -> bool:
        """``qualified_name(node) == qname``, without resolving names that cannot match."""
        return self.is_one_of(node, _single(qname))

    def _resolve(self, node: nodes.NodeNG, depth: int) -> str | None:
        if depth > _MAX_ALIAS_DEPTH:
            return None
        if isinstance(node, nodes.Name):
            return self._resolve_name(node, depth)
        if isinstance(node, nodes.Attribute):
            base = self._resolve(node.expr, depth)
            return canonical(f"{base}.{node.attrname}") if base else None
        return None

    def _resolve_name(self, node: nodes.Name, depth: int) -> str | None:
        if not self._may_resolve(node.name):
            return None
        function = _function_reading_outer_name(node) if depth == 0 and self._index is not None else None
        if function is None or not self._bound_at_module_level_only(node.name):
            return self._look_up(node, depth)
        name = node.name
        if name not in self._from_function_body:
            bindings = seen_from_function_body(self._module, name)
            self._from_function_body[name] = self._look_up(node, depth, bindings)
        return self._from_function_body[name]

    def _bound_at_module_level_only(self, name: str) -> bool:
        """No function binds ``name`` for the module (``global name`` then ``name = ...``): such a
        binding sits in a function's body, and astroid's answer then depends on where the name is
        read, so it may not be shared by the whole file."""
        only = self._module_level_only.get(name)
        if only is None:
            only = all(_binding_scope(binding) is self._module for binding in self._module.locals.get(name, ()))
            self._module_level_only[name] = only
        return only

    def _look_up(self, node: nodes.Name, depth: int, bindings: list[nodes.NodeNG] | None = None) -> str | None:
        if bindings is None:
            # Without an index the resolver takes no shortcut (the checks compare with it).
            _, bindings = look_up(node) if self._index is not None else node.lookup(node.name)
        if not bindings:
            return self._from_star_import(node.name)
        found = {self._binding_name(binding, node.name, depth) for binding in bindings}
        found.discard(None)
        if len(found) == 1:
            return found.pop()
        # ``try: from flask import Markup / except ImportError: from markupsafe import Markup``
        # binds one object under several paths; canonical names agree in that case.
        return None

    def _may_resolve(self, name: str) -> bool:
        """False when no binding of ``name`` can give a qualified name (fast path, same answers)."""
        if self._index is None:
            return True
        if self._resolvable is None:
            star = (STAR_EXPORTS.get(modname, frozenset()) for modname in self._star_modules)
            self._resolvable = self._index().import_or_alias_names.union(*star)
        return name in self._resolvable

    def imported_name(self, binding: nodes.Import | nodes.ImportFrom, name: str) -> str | None:
        """Qualified name that the import statement ``binding`` binds to the local ``name``."""
        return self._binding_name(binding, name, 0)

    def _binding_name(self, binding: nodes.NodeNG, name: str, depth: int) -> str | None:
        if isinstance(binding, nodes.Import):
            for imported, alias in binding.names:
                if alias == name:
                    return canonical(imported)
                if alias is None and imported.split(".")[0] == name:
                    return name
            return None
        if isinstance(binding, nodes.ImportFrom):
            for imported, alias in binding.names:
                if (alias or imported) == name:
                    prefix = "." * (binding.level or 0) + (binding.modname or "")
                    if prefix.endswith(".") or not prefix:
                        return canonical(prefix + imported)
                    return canonical(f"{prefix}.{imported}")
            return None
        if isinstance(binding, nodes.AssignName):
            # ``WebApp = flask.Flask``: a plain alias of another name.
            parent = binding.parent
            if isinstance(parent, (nodes.Assign, nodes.AnnAssign)) and isinstance(
                parent.value, (nodes.Name, nodes.Attribute)
            ):
                if isinstance(parent, nodes.Assign) and parent.targets != [binding]:
                    return None
                return self._resolve(parent.value, depth + 1)
        return None

    def _from_star_import(self, name: str) -> str | None:
        for modname in self._star_modules:
            if name in STAR_EXPORTS.get(modname, ()):
                return canonical(f"{modname}.{name}")
        return None


_DEFS = (nodes.FunctionDef, nodes.AsyncFunctionDef)


def _binding_scope(binding: nodes.NodeNG) -> nodes.NodeNG:
    """The scope a binding is made in (a ``def`` or ``class`` binds its name in the scope around it)."""
    if isinstance(binding, nodes.LocalsDictNodeNG) and binding.parent is not None:
        return binding.parent.scope()
    return binding.scope()


def _function_reading_outer_name(node: nodes.Name) -> nodes.NodeNG | None:
    """The function whose body reads ``node`` when the name is bound outside it, in a function at
    the top of the module or in a class there (methods): astroid's lookup then skips the function
    and its classes and asks the module, whose answer does not depend on where in the body the
    name is read (see ``build.only_binding_seen_from_inside``). None in any other case: in a
    decorator, default or annotation, in a lambda or comprehension, in a nested function, for a
    name the function binds, and for ``__class__``, which astroid answers from the class."""
    child, scope = node, node.parent
    while scope is not None and not isinstance(scope, nodes.LocalsDictNodeNG):  # astroid's scopes
        child, scope = scope, scope.parent
    if not isinstance(scope, _DEFS) or not child.is_statement:
        return None
    if node.name in scope.locals or node.name == "__class__":
        return None
    outer = scope.parent
    while isinstance(outer, nodes.ClassDef):
        outer = outer.parent
    return scope if isinstance(outer, nodes.Module) else None


def callee_name(func: nodes.NodeNG) -> str:
    """The last name of what a call calls: ``is_safe`` for ``is_safe(x)`` and ``utils.is_safe(x)``."""
    if isinstance(func, nodes.Attribute):
        return func.attrname
    if isinstance(func, nodes.Name):
        return func.name
    return ""
