"""Check the model's lookup shortcuts against astroid on real code.

    python bench/shortcut_check.py PATH...

For every ``.py`` file under each PATH, builds the plugin's astroid tree and compares, for each
name, (1) the single-binding shortcuts of module-level lookups and of a function's own
assignments with astroid's own answers, and (2) qualified names with the resolver's shortcuts against a
resolver without them. Prints the counts and every mismatch; the exit status is 1 when any differs.
The test suite runs the same comparison on its fixtures; this runs it on whole projects.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from astroid import nodes
from astroid.filter_statements import _filter_stmts

from flake8_flask_safety.model import FlaskFile
from flake8_flask_safety.model.build import build_module, only_binding_seen_from_inside, own_assignment_seen_from_body
from flake8_flask_safety.model.names import NameResolver


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
            own = own_assignment_seen_from_body(node)
            if own is not None:
                taken += 1
                scope, bindings = node.lookup(node.name)
                if own[0] is not scope or own[1] != bindings:
                    mismatches.append(f"{path}:{node.lineno}: lookup of {node.name} in its function")
        if isinstance(node, (nodes.Name, nodes.Attribute)):
            if file.names.qualified_name(node) != plain.qualified_name(node):
                mismatches.append(f"{path}:{node.lineno}: qualified name of {node.as_string()[:60]}")
    return taken, mismatches


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
