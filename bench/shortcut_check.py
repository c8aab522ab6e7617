"""Check the model's lookup shortcuts against astroid on real code.

    python bench/shortcut_check.py PATH...

For every ``.py`` file under each PATH, builds the plugin's astroid tree and compares, for each
name, (1) the lookup shortcuts (single module-level bindings, a function's own assignments,
names read in top-level decorators and in function bodies) with astroid's own answers, and
(2) qualified names with the resolver's shortcuts against a resolver without them. Prints the
counts and every mismatch; the exit status is 1 when any differs. The test suite runs the same
comparison on its fixtures; this runs it on whole projects.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from astroid import nodes
from astroid.filter_statements import _filter_stmts

from flake8_flask_safety.model import FlaskFile
from flake8_flask_safety.model.build import (
    build_module,
    only_binding_seen_from_inside,
    own_assignment_seen_from_body,
    seen_from_function_body,
    seen_from_top_level_decorator,
)
from flake8_flask_safety.model.names import NameResolver, _function_reading_outer_name


def check_file(path: Path) -> tuple[int, list[str]]:
    try:
        source = path.read_text(encoding="utf-8")
        module = build_module(source, str(path), ast.parse(source))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError, RecursionError):
        return 0, []
    file, plain = FlaskFile(module, str(path)), NameResolver(module)
    taken, mismatches = 0, []
    for node in module.built_nodes:
        if isinstance(node, (nodes.Name, nodes.AssignName)) and module.locals.get(node.name):
            bound = module.locals[node.name]
            shortcut = only_binding_seen_from_inside(module, node, bound, 0)
            if shortcut is not None:
                taken += 1
                if shortcut != _filter_stmts(node, bound, module, 0):
                    mismatches.append(f"{path}:{node.lineno}: lookup of {node.name}")
        if isinstance(node, nodes.Name):
            for shortcut, where in _name_shortcuts(file, node):
                taken += 1
                scope, bindings = node.lookup(node.name)
                if (shortcut[0] is not None and shortcut[0] is not scope) or shortcut[1] != bindings:
                    mismatches.append(f"{path}:{node.lineno}: lookup of {node.name} {where}")
        if isinstance(node, (nodes.Name, nodes.Attribute)):
            if file.names.qualified_name(node) != plain.qualified_name(node):
                mismatches.append(f"{path}:{node.lineno}: qualified name of {node.as_string()[:60]}")
    return taken, mismatches


def _name_shortcuts(file: FlaskFile, node: nodes.Name) -> list[tuple[tuple[object, list[nodes.NodeNG]], str]]:
    """The shortcut answers for ``node``'s lookup, as (scope or None, bindings), and where it is read."""
    found: list[tuple[tuple[object, list[nodes.NodeNG]], str]] = []
    own = own_assignment_seen_from_body(node)
    if own is not None:
        found.append((own, "in its function"))
    decorator = seen_from_top_level_decorator(node)
    if decorator is not None:
        found.append((decorator, "in a decorator"))
    if _function_reading_outer_name(node) is not None and file.names._bound_at_module_level_only(node.name):
        outer = seen_from_function_body(file.module, node.name)
        if outer is not None:
            found.append(((None, outer), "in a function body"))
    return found


def main(paths: list[str]) -> int:
    files = taken = 0
    mismatches: list[str] = []
    for root in paths:
        for path in sorted(Path(root).rglob("*.py")) if Path(root).is_dir() else [Path(root)]:
            count, found = check_file(path)
            files += 1
            taken += count
            mismatches.extend(found)
    for line in mismatches:
        print(line)
    print(f"{files} files, {taken} shortcut lookups, {len(mismatches)} mismatches")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
