"""Values known at lint time: literals, module constants, simple assignments, dict literals.

Everything here is conservative: a value that cannot be known exactly is ``UNKNOWN`` and no rule
makes a finding from it.
"""

from __future__ import annotations

from typing import Any

from astroid import nodes

from .names import NameResolver


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        raise TypeError("UNKNOWN has no truth value; compare with `is UNKNOWN`")


UNKNOWN: Any = _Unknown()

_MAX_DEPTH = 6


class ValueResolver:
    def __init__(self, names: NameResolver) -> None:
        self._names = names

    # -- single values ------------------------------------------------------------------
    def value(self, node: nodes.NodeNG | None, depth: int = 0) -> Any:
        """The Python value of ``node`` if it is known at lint time, else UNKNOWN."""
        if node is None or depth > _MAX_DEPTH:
            return UNKNOWN
        if isinstance(node, nodes.Const):
            return node.value
        if isinstance(node, nodes.Name):
            assigned = self.assigned_value(node)
            return UNKNOWN if assigned is None else self.value(assigned, depth + 1)
        if isinstance(node, (nodes.List, nodes.Tuple, nodes.Set)):
            items = [self.value(elt, depth + 1) for elt in node.elts]
            if any(item is UNKNOWN for item in items):
                return UNKNOWN
            return tuple(items) if isinstance(node, nodes.Tuple) else list(items)
        if isinstance(node, nodes.UnaryOp) and node.op == "not":
            inner = self.value(node.operand, depth + 1)
            return UNKNOWN if inner is UNKNOWN else not inner
        if isinstance(node, nodes.BinOp) and node.op == "+":
            left, right = self.value(node.left, depth + 1), self.value(node.right, depth + 1)
            if isinstance(left, str) and isinstance(right, str):
                return left + right
            if isinstance(left, bytes) and isinstance(right, bytes):
                return left + right
        return UNKNOWN

    def origin(self, node: nodes.NodeNG | None, depth: int = 0) -> nodes.NodeNG | None:
        """The expression that supplies ``node``'s value, following constant names."""
        if node is None or depth > _MAX_DEPTH:
            return None
        if isinstance(node, nodes.Name):
            assigned = self.assigned_value(node)
            return None if assigned is None else self.origin(assigned, depth + 1)
        return node

    def assigned_value(self, name: nodes.Name) -> nodes.NodeNG | None:
        """The value of a name bound exactly once by a plain assignment, else None."""
        scope, bindings = name.lookup(name.name)
        if len(bindings) != 1 or len(scope.locals.get(name.name, ())) != 1:
            return None  # rebound somewhere in its scope: the value depends on the path taken
        binding = bindings[0]
        if not isinstance(binding, nodes.AssignName):
            return None
        parent = binding.parent
        if isinstance(parent, nodes.Assign) and len(parent.targets) == 1:
            if parent.targets[0] is binding:
                return parent.value
            return None
        if isinstance(parent, nodes.AnnAssign) and parent.target is binding:
            return parent.value
        return None

    # -- mappings -----------------------------------------------------------------------
    def mapping_items(
        self, node: nodes.NodeNG | None, depth: int = 0
    ) -> dict[str, tuple[nodes.NodeNG, nodes.NodeNG]] | None:
        """``{key: (key_node, value_node)}`` of a dict literal or ``dict(k=v)``, else None."""
        node = self.origin(node, depth)
        if isinstance(node, nodes.Dict):
            items: dict[str, tuple[nodes.NodeNG, nodes.NodeNG]] = {}
            for key, value in node.items:
                if isinstance(key, nodes.DictUnpack):
                    nested = self.mapping_items(value, depth + 1)
                    if nested is None:
                        return None
                    items.update(nested)
                    continue
                key_value = self.value(key, depth + 1)
                if not isinstance(key_value, str):
                    return None
                items[key_value] = (key, value)
            return items
        if (
            isinstance(node, nodes.Call)
            and isinstance(node.func, nodes.Name)
            and node.func.name == "dict"
            and not node.args
        ):
            return self.keyword_items(node, depth + 1)
        return None

    def keyword_items(
        self, call: nodes.Call, depth: int = 0
    ) -> dict[str, tuple[nodes.NodeNG, nodes.NodeNG]] | None:
        """Keyword arguments of a call, with ``**mapping`` expanded where it is known.

        Returns None when a ``**`` argument cannot be known, because any keyword may hide in it.
        """
        items: dict[str, tuple[nodes.NodeNG, nodes.NodeNG]] = {}
        for keyword in call.keywords or ():
            if keyword.arg is None:
                nested = self.mapping_items(keyword.value, depth + 1)
                if nested is None:
                    return None
                items.update(nested)
            else:
                items[keyword.arg] = (keyword, keyword.value)
        return items

    def argument(
        self, call: nodes.Call, position: int | None, keyword: str
    ) -> tuple[nodes.NodeNG, nodes.NodeNG] | None:
        """(anchor, value) of an argument given by position or keyword, expanding known **kwargs."""
        if position is not None and position < len(call.args):
            arg = call.args[position]
            if not isinstance(arg, nodes.Starred) and not any(
                isinstance(a, nodes.Starred) for a in call.args[:position]
            ):
                return arg, arg
        for kw in call.keywords or ():
            if kw.arg == keyword:
                return kw, kw.value
        for kw in call.keywords or ():
            if kw.arg is None:
                nested = self.mapping_items(kw.value)
                if nested and keyword in nested:
                    return nested[keyword]
        return None
