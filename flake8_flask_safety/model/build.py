"""Build an astroid module from source text without importing or inferring anything.

astroid's public ``string_build`` runs post-build steps that import modules named in
``from x import *`` and infer the targets of ``self.x = ...`` assignments. Both can load
an installed Flask (slow, and results would depend on the environment) or the linted
project's own modules. We run only the pure tree-building step and bind the names of
``from x import y`` statements ourselves, so lookups work and nothing is imported.
"""

from __future__ import annotations

import os

from astroid import nodes
from astroid.builder import AstroidBuilder
from astroid.manager import AstroidManager

_BUILDER: AstroidBuilder | None = None


def _builder() -> AstroidBuilder:
    global _BUILDER
    if _BUILDER is None:
        _BUILDER = AstroidBuilder(AstroidManager(), apply_transforms=False)
    return _BUILDER


def module_name_for(path: str) -> str:
    stem = os.path.splitext(os.path.basename(path))[0]
    return stem if stem.isidentifier() else "module"


def build_module(source: str, path: str) -> nodes.Module:
    """Return the astroid tree of ``source``; raises astroid's AstroidSyntaxError on bad code."""
    module, rebuilder = _builder()._data_build(source, module_name_for(path), path)
    for entry in rebuilder._import_from_nodes:
        # astroid 4 records (node, names declared global); astroid 3 records the node only.
        if isinstance(entry, tuple):
            from_node, global_names = entry
        else:
            from_node, global_names = entry, ()
        _bind_from_import(module, from_node, global_names)
    return module


def _bind_from_import(
    module: nodes.Module, from_node: nodes.ImportFrom, global_names: object
) -> None:
    if from_node.modname == "__future__":
        return
    for name, asname in from_node.names:
        if name == "*":
            continue  # star imports are resolved by NameResolver, never by importing
        local = asname or name
        owner = module if local in global_names else from_node.parent  # type: ignore[operator]
        owner.set_local(local, from_node)
        scope_locals = owner.scope().locals[local]
        scope_locals.sort(key=lambda n: n.fromlineno or 0)
