"""Build an astroid module from source text without importing or inferring anything.

astroid's public ``string_build`` runs post-build steps that import modules named in
``from x import *`` and infer the targets of ``self.x = ...`` assignments. Both can load
an installed Flask (slow, and results would depend on the environment) or the linted
project's own modules. We run only the pure tree-building step (astroid's ``TreeRebuilder``
over an ``ast`` tree we parse ourselves) and bind the names of ``from x import y`` statements
ourselves, so lookups work and nothing is imported.

The ``ast`` tree may be flake8's own, shared with every other plugin: astroid's rebuilder cuts the
docstring out of the ``body`` of each module, class and function it visits, so ours hands it a
shallow copy of those nodes instead. While it builds, the rebuilder also records every node it
creates in visiting order, so the node index needs no second walk over the tree.

We never create an ``AstroidBuilder``: its constructor "bootstraps" astroid by building a model
of the whole ``builtins`` module from the live interpreter (about 0.15 s of CPU and 90,000
objects that every later garbage collection walks), which only inference needs. A name that is
bound nowhere in the file is looked up in a small stand-in ``builtins`` module instead: it holds
a class, function or placeholder node for each builtin name, so ``lookup("dict")`` gives
``(<Module builtins>, [<ClassDef dict>])`` as in astroid, without the cost.
"""

from __future__ import annotations

import ast
import builtins
import copy
import inspect
import os
import re
import threading
from itertools import chain
from typing import Any

from astroid import nodes
from astroid.nodes import _base_nodes
from astroid.exceptions import AttributeInferenceError
from astroid.filter_statements import _filter_stmts
from astroid.const import Context
from astroid.manager import AstroidManager
from astroid.rebuilder import TreeRebuilder

_MANAGER: AstroidManager | None = None
_REBUILDER_TAKES_PARSER = "parser_module" in inspect.signature(TreeRebuilder.__init__).parameters
_TYPE_COMMENT = re.compile(r"#\s+type:")


def module_name_for(path: str) -> str:
    stem = os.path.splitext(os.path.basename(path))[0]
    return stem if stem.isidentifier() else "module"


def parse(source: str) -> ast.Module:
    """``source`` parsed as astroid parses it (type comments kept when they are well formed).

    Raises SyntaxError (or ValueError for null bytes) on code Python cannot parse.
    """
    try:
        return ast.parse(source + "\n", type_comments=True)
    except SyntaxError as error:
        if not _TYPE_COMMENT.search(error.text or ""):
            raise
        return ast.parse(source + "\n", type_comments=False)


def build_module(source: str, path: str, tree: ast.Module | None = None) -> LintedModule:
    """Return the astroid tree of ``source``; ``tree``, when given, is ``source`` already parsed
    (flake8's tree: it is read, never changed).

    Raises SyntaxError or ValueError on code Python cannot parse.
    """
    if tree is None:
        tree = parse(source)
    rebuilder = _rebuilder()
    module = _build(tree, source, path, rebuilder)
    _IDLE.rebuilder = rebuilder  # not after a failed build: its state is left as the failure left it
    return module


def _build(tree: ast.Module, source: str, path: str, rebuilder: _Rebuilder) -> LintedModule:
    node_file = os.path.abspath(path)
    package = os.path.splitext(os.path.basename(path))[0] == "__init__"
    module = rebuilder.visit_module(tree, module_name_for(path), node_file, package)
    module.__class__ = LintedModule
    module.source_text = source
    built = rebuilder.built
    if None in built:  # a visit that built nothing
        built = [node for node in built if node is not None]
    module.walked_nodes = [module, *built]
    module.nodes_by_kind = {kind: found for kind, found in rebuilder.by_kind.items() if found}
    module.unlisted_nodes = rebuilder.unlisted
    module.nodes_by_scope = getattr(rebuilder, "scoped", None)
    for entry in rebuilder._import_from_nodes:
        # astroid 4 records (node, names declared global); astroid 3 records the node only.
        if isinstance(entry, tuple):
            from_node, global_names = entry
        else:
            from_node, global_names = entry, ()
        _bind_from_import(module, from_node, global_names)
    _forget_file(rebuilder)
    return module


def _discard(rebuilder: _Rebuilder) -> None:
    """Let reference counting free a rebuilder that will not build again.

    Its tables of visit methods are bound to itself: a reference cycle that only the cyclic
    garbage collector would free. Emptying them breaks it.
    """
    rebuilder.methods.clear()
    getattr(rebuilder, "fast", {}).clear()


def _forget_file(rebuilder: _Rebuilder) -> None:
    """Give the rebuilder empty per-file records: it then holds nothing of the file it built
    (every node, through its records) and can build the next one."""
    rebuilder.built = []
    rebuilder.unlisted = []
    rebuilder._global_names = []
    rebuilder._import_from_nodes = []
    rebuilder._delayed_assattr = []
    if isinstance(rebuilder, _FastRebuilder):
        rebuilder.by_kind = {node_class: [] for node_class in _FAST_KINDS}
        rebuilder.scope_calls, rebuilder.scope_attributes, rebuilder.scope_compares = [], [], []
        rebuilder.scoped = {}
    else:
        rebuilder.by_kind = {}


def release_tree(module: LintedModule) -> None:
    """Cut every parent link of a tree built here, so that reference counting frees it as soon
    as nothing else holds it. The tree must not be used afterwards."""
    recorded = (module.walked_nodes, *module.nodes_by_kind.values(), module.unlisted_nodes)
    module.walked_nodes, module.nodes_by_kind, module.unlisted_nodes = [], {}, []  # they hold the module
    module.nodes_by_scope = None
    for found in recorded:
        for node in found:
            node.parent = None
    forget_lookups()


def forget_lookups() -> None:
    """Empty astroid's process-wide cache of name lookups.

    ``LookupMixIn.lookup`` is an ``lru_cache`` (128 entries in astroid 3.3 and 4.x): each entry
    holds the node looked up and the bindings found, and so the whole tree they belong to, long
    after the file is done. Clearing it lets a released tree be freed at once.
    """
    clear = getattr(_base_nodes.LookupMixIn.lookup, "cache_clear", None)
    if clear is not None:
        clear()


def prepare() -> None:
    """Create what every build shares (astroid's manager, the stand-in builtins) ahead of time."""
    _rebuilder()


class _Rebuilder(TreeRebuilder):
    """astroid's rebuilder, recording the nodes it creates and leaving the ``ast`` tree intact."""

    built: list[nodes.NodeNG | None]
    unlisted: list[nodes.NodeNG]
    by_kind: dict[type, list[nodes.NodeNG]]
    methods: dict[type, Any]

    def visit(self, node: Any, parent: Any) -> Any:
        if node is None:
            return None
        # The slot is taken before the children are built, so ``built`` is in pre-order.
        built = self.built
        slot = len(built)
        built.append(None)
        # astroid's ``visit`` looks the method up in this same per-class table; calling it from
        # here saves a Python call for every node. The first node of a class goes through
        # astroid, which fills the table.
        method = self.methods.get(node.__class__)
        created = TreeRebuilder.visit(self, node, parent) if method is None else method(node, parent)
        built[slot] = created
        return created

    # astroid builds decorator lists, the names that arguments and ``except ... as`` bind,
    # ``*args``/``**kwargs``, a class's implicit locals and the key of ``**`` in a dict display
    # without going through ``visit``: they are recorded apart, so that releasing the tree
    # reaches them too.
    def visit_decorators(self, *args: Any, **kwargs: Any) -> Any:
        return self._unlisted(TreeRebuilder.visit_decorators(self, *args, **kwargs))

    def visit_assignname(self, *args: Any, **kwargs: Any) -> Any:
        return self._unlisted(TreeRebuilder.visit_assignname(self, *args, **kwargs))

    def visit_arguments(self, node: Any, parent: Any) -> Any:
        arguments = TreeRebuilder.visit_arguments(self, node, parent)
        self._unlisted(getattr(arguments, "vararg_node", None))
        self._unlisted(getattr(arguments, "kwarg_node", None))
        return arguments

    def visit_classdef(self, *args: Any, **kwargs: Any) -> Any:
        klass = TreeRebuilder.visit_classdef(self, *args, **kwargs)
        # astroid gives every class implicit ``__module__``, ``__qualname__`` and
        # ``__annotations__`` locals, nodes whose parent is the class.
        for bindings in klass.locals.values():
            self.unlisted.extend(binding for binding in bindings if binding.parent is klass)
        return klass

    def visit_dict(self, node: Any, parent: Any) -> Any:
        mapping = TreeRebuilder.visit_dict(self, node, parent)
        # ``{**other}``: astroid makes a ``DictUnpack`` key for it.
        self.unlisted.extend(key for key, _ in mapping.items if isinstance(key, nodes.DictUnpack))
        return mapping

    def _unlisted(self, created: Any) -> Any:
        if created is not None:
            self.unlisted.append(created)
        return created

    def _get_doc(self, node: Any) -> Any:
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            node = copy.copy(node)  # astroid assigns ``node.body = node.body[1:]``
        return TreeRebuilder._get_doc(self, node)


_new = object.__new__
_LOAD = ast.Load
_STORE = ast.Store
_CONTEXT_LOAD = Context.Load


def _operator_names() -> tuple[dict[type, str], ...]:
    """astroid's names of ``ast`` operators: compare, boolean, binary, unary."""
    try:  # astroid 4
        from astroid._ast import BIN_OP_CLASSES, BOOL_OP_CLASSES, CMP_OP_CLASSES, UNARY_OP_CLASSES
    except ImportError:  # astroid 3
        from astroid._ast import get_parser_module

        module = get_parser_module()
        return (module.cmp_op_classes, module.bool_op_classes, module.bin_op_classes, module.unary_op_classes)
    return (CMP_OP_CLASSES, BOOL_OP_CLASSES, BIN_OP_CLASSES, UNARY_OP_CLASSES)


_CMP_OPS, _BOOL_OPS, _BIN_OPS, _UNARY_OPS = _operator_names()


class _FastRebuilder(_Rebuilder):
    """The rebuilder with quicker visits for the commonest nodes.

    Nine nodes in ten of a Flask module are names, attributes, calls, constants, keywords,
    expression statements, returns, assignments, conditions, operators and containers. astroid
    builds each through keyword-argument constructors that chain to ``NodeNG.__init__`` and a
    ``postinit``; the visits in ``fast`` create the same node and set the same attributes directly,
    children visited in the same order, at a third of the cost. Each records the node it creates
    in the list of its class in ``by_kind`` itself, before its children (so the node index
    finds them grouped, without a walk), and calls the fast visit of a child directly, so a
    node costs one Python call instead of three. Only what reads a value (``Load`` context) and
    plain names assigned to are taken here; other assignment and deletion targets, ``{**x}``
    displays and assignments with a type comment take astroid's own visit. ``def`` statements
    and their parameters have fast visits too, for the plain shapes (no type comment or type
    parameters; positional parameters without annotations). ``_fast_visits_agree``
    checks at start-up that both give the same tree, and the plain rebuilder is used if not.
    """

    fast: dict[type, Any]

    def visit(self, node: Any, parent: Any) -> Any:
        if node is None:
            return None
        fast = self.fast.get(node.__class__)
        if fast is not None:
            return fast(node, parent)
        return _Rebuilder.visit(self, node, parent)

    def _children(self, children: list[Any], parent: Any) -> list[Any]:
        fast, visit = self.fast, self.visit
        return [(fast.get(child.__class__) or visit)(child, parent) for child in children]

    def _child(self, child: Any, parent: Any) -> Any:
        return (self.fast.get(child.__class__) or self.visit)(child, parent)

    # Names, attributes, constants, calls and keywords are two nodes in three: their visits set the
    # located attributes and visit their children inline rather than through ``_start`` and
    # ``_child``, a Python call less for each (through ``_start``, building the generated corpus
    # took 108 ms instead of 101 ms).
    def _fast_name(self, node: Any, parent: Any) -> Any:
        if node.ctx.__class__ is not _LOAD:
            if node.ctx.__class__ is _STORE:
                return self._fast_store_name(node, parent)
            return _Rebuilder.visit(self, node, parent)
        new = _new(nodes.Name)
        new.name = node.id
        new.lineno = node.lineno
        new.col_offset = node.col_offset
        new.parent = parent
        new.end_lineno = node.end_lineno
        new.end_col_offset = node.end_col_offset
        new.position = None
        self.by_kind[nodes.Name].append(new)
        return new

    def _fast_attribute(self, node: Any, parent: Any) -> Any:
        if node.ctx.__class__ is not _LOAD:
            return _Rebuilder.visit(self, node, parent)
        new = _new(nodes.Attribute)
        new.attrname = node.attr
        new.lineno = node.lineno
        new.col_offset = node.col_offset
        new.parent = parent
        new.end_lineno = node.end_lineno
        new.end_col_offset = node.end_col_offset
        new.position = None
        self.by_kind[nodes.Attribute].append(new)
        self.scope_attributes.append(new)
        value = node.value
        new.expr = (self.fast.get(value.__class__) or self.visit)(value, new)
        return new

    def _fast_constant(self, node: Any, parent: Any) -> Any:
        new = _new(nodes.Const)
        new.value = node.value
        new.kind = node.kind
        new.lineno = node.lineno
        new.col_offset = node.col_offset
        new.parent = parent
        new.end_lineno = node.end_lineno
        new.end_col_offset = node.end_col_offset
        new.position = None
        self.by_kind[nodes.Const].append(new)
        return new

    def _fast_call(self, node: Any, parent: Any) -> Any:
        new = _new(nodes.Call)
        new.lineno = node.lineno
        new.col_offset = node.col_offset
        new.parent = parent
        new.end_lineno = node.end_lineno
        new.end_col_offset = node.end_col_offset
        new.position = None
        self.by_kind[nodes.Call].append(new)
        self.scope_calls.append(new)
        fast, visit = self.fast, self.visit
        func = node.func
        new.func = (fast.get(func.__class__) or visit)(func, new)
        new.args = [(fast.get(child.__class__) or visit)(child, new) for child in node.args]
        new.keywords = [(fast.get(child.__class__) or visit)(child, new) for child in node.keywords]
        return new

    def _fast_keyword(self, node: Any, parent: Any) -> Any:
        new = _new(nodes.Keyword)
        new.arg = node.arg
        new.lineno = node.lineno
        new.col_offset = node.col_offset
        new.parent = parent
        new.end_lineno = node.end_lineno
        new.end_col_offset = node.end_col_offset
        new.position = None
        self.by_kind[nodes.Keyword].append(new)
        value = node.value
        new.value = (self.fast.get(value.__class__) or self.visit)(value, new)
        return new

    # Calls, attributes and comparisons are also recorded by the function, lambda or class whose
    # code they are part of (its decorators, defaults and body, not nested scopes): the node index
    # then needs no walk up the tree from each of them to group them (see ``NodeIndex.directly_in``).
    def visit_functiondef(self, node: Any, parent: Any) -> Any:
        if node.type_comment or getattr(node, "type_params", None):
            return self._scope(TreeRebuilder.visit_functiondef, node, parent)
        return self._scope(_FastRebuilder._fast_functiondef, node, parent)

    def visit_asyncfunctiondef(self, node: Any, parent: Any) -> Any:
        return self._scope(TreeRebuilder.visit_asyncfunctiondef, node, parent)

    def visit_lambda(self, node: Any, parent: Any) -> Any:
        return self._scope(TreeRebuilder.visit_lambda, node, parent)

    def visit_classdef(self, node: Any, parent: Any) -> Any:
        return self._scope(_Rebuilder.visit_classdef, node, parent)

    def _scope(self, visit: Any, node: Any, parent: Any) -> Any:
        outer = self.scope_calls, self.scope_attributes, self.scope_compares
        inner = self.scope_calls, self.scope_attributes, self.scope_compares = [], [], []
        try:
            scope = visit(self, node, parent)
        finally:
            self.scope_calls, self.scope_attributes, self.scope_compares = outer
        self.scoped[id(scope)] = inner
        return scope

    def visit_decorators(self, node: Any, parent: Any) -> Any:
        decorated = node.decorator_list
        if not decorated:
            return None
        new = _new(nodes.Decorators)
        new.lineno = decorated[0].lineno
        new.col_offset = node.col_offset
        new.parent = parent
        new.end_lineno = decorated[-1].end_lineno
        new.end_col_offset = decorated[-1].end_col_offset
        new.position = None
        new.nodes = self._children(decorated, new)
        self.unlisted.append(new)
        return new

    def _fast_functiondef(self, node: Any, parent: Any) -> Any:
        # astroid's ``_visit_functiondef`` without its generic steps: no type comment or type
        # parameters (those take astroid's visit), no source text for ``position``. Children are
        # built in astroid's order: decorators, return annotation, arguments, body, docstring.
        self._global_names.append({})
        body, doc = node.body, None
        first = body[0] if body else None
        if type(first) is ast.Expr and type(first.value) is ast.Constant and isinstance(first.value.value, str):
            body, doc = body[1:], first.value
        decorated = node.decorator_list
        new = _new(nodes.FunctionDef)
        new.name = node.name
        new.locals = {}
        new.body = []
        new.type_params = []
        new.instance_attrs = {}
        new.lineno = decorated[0].lineno if decorated else node.lineno
        new.col_offset = node.col_offset
        new.parent = parent
        new.end_lineno = node.end_lineno
        new.end_col_offset = node.end_col_offset
        new.position = None
        new.decorators = self.visit_decorators(node, new)
        new.returns = self._child(node.returns, new) if node.returns else None
        new.args = self._child(node.args, new)
        new.body = self._children(body, new)
        new.type_comment_returns = new.type_comment_args = None
        new.doc_node = None if doc is None else self._child(doc, new)
        self._global_names.pop()
        parent.set_local(new.name, new)
        return new

    def _fast_expr(self, node: Any, parent: Any) -> Any:
        return self._statement_with_value(nodes.Expr, node, parent)

    def _fast_return(self, node: Any, parent: Any) -> Any:
        return self._statement_with_value(nodes.Return, node, parent)

    def _statement_with_value(self, kind: type, node: Any, parent: Any) -> Any:
        new = self._start(kind, node, parent)
        new.value = None if node.value is None else self._child(node.value, new)
        return new

    def _start(self, kind: type, node: Any, parent: Any) -> Any:
        """A new ``kind`` node located where ``node`` is, recorded: what ``NodeNG.__init__`` sets."""
        new = _new(kind)
        new.lineno = node.lineno
        new.col_offset = node.col_offset
        new.parent = parent
        new.end_lineno = node.end_lineno
        new.end_col_offset = node.end_col_offset
        new.position = None
        self.by_kind[kind].append(new)
        return new

    def _fast_assign(self, node: Any, parent: Any) -> Any:
        if node.type_comment:
            return _Rebuilder.visit(self, node, parent)
        new = self._start(nodes.Assign, node, parent)
        new.targets = self._children(node.targets, new)
        new.value = self._child(node.value, new)
        new.type_annotation = None
        return new

    def _fast_store_name(self, node: Any, parent: Any) -> Any:
        new = self._start(nodes.AssignName, node, parent)
        new.name = node.id
        self._save_assignment(new)
        return new

    def _fast_if(self, node: Any, parent: Any) -> Any:
        new = self._start(nodes.If, node, parent)
        new.test = self._child(node.test, new)
        new.body = self._children(node.body, new)
        new.orelse = self._children(node.orelse, new)
        return new

    def _fast_compare(self, node: Any, parent: Any) -> Any:
        new = self._start(nodes.Compare, node, parent)
        self.scope_compares.append(new)
        new.left = self._child(node.left, new)
        new.ops = [
            (_CMP_OPS[op.__class__], self._child(expr, new)) for op, expr in zip(node.ops, node.comparators)
        ]
        return new

    def _fast_boolop(self, node: Any, parent: Any) -> Any:
        new = self._start(nodes.BoolOp, node, parent)
        new.op = _BOOL_OPS[node.op.__class__]
        new.values = self._children(node.values, new)
        return new

    def _fast_binop(self, node: Any, parent: Any) -> Any:
        new = self._start(nodes.BinOp, node, parent)
        new.op = _BIN_OPS[node.op.__class__]
        new.left = self._child(node.left, new)
        new.right = self._child(node.right, new)
        return new

    def _fast_unaryop(self, node: Any, parent: Any) -> Any:
        new = self._start(nodes.UnaryOp, node, parent)
        new.op = _UNARY_OPS[node.op.__class__]
        new.operand = self._child(node.operand, new)
        return new

    def _fast_list(self, node: Any, parent: Any) -> Any:
        return self._container(nodes.List, node, parent)

    def _fast_tuple(self, node: Any, parent: Any) -> Any:
        return self._container(nodes.Tuple, node, parent)

    def _container(self, kind: type, node: Any, parent: Any) -> Any:
        if node.ctx.__class__ is not _LOAD:
            return _Rebuilder.visit(self, node, parent)
        new = self._start(kind, node, parent)
        new.ctx = _CONTEXT_LOAD
        new.elts = self._children(node.elts, new)
        return new

    def _fast_subscript(self, node: Any, parent: Any) -> Any:
        if node.ctx.__class__ is not _LOAD:
            return _Rebuilder.visit(self, node, parent)
        new = self._start(nodes.Subscript, node, parent)
        new.ctx = _CONTEXT_LOAD
        new.value = self._child(node.value, new)
        new.slice = self._child(node.slice, new)
        return new

    def _fast_arguments(self, node: Any, parent: Any) -> Any:
        # Plain positional parameters (``def view(post_id, page=1)``), the common case: astroid's
        # visit takes ten list comprehensions for the kinds of parameter a ``def`` may have.
        args = node.args
        if (
            node.vararg or node.kwarg or node.kwonlyargs or node.posonlyargs
            or any(arg.annotation or arg.type_comment for arg in args)
        ):
            return _Rebuilder.visit(self, node, parent)
        new = _new(nodes.Arguments)
        new.lineno = new.col_offset = new.end_lineno = new.end_col_offset = None
        new.parent = parent
        new.position = None
        new.vararg = new.kwarg = new.vararg_node = new.kwarg_node = None
        self.by_kind[nodes.Arguments].append(new)
        parameters = []
        for arg in args:
            name = self._start(nodes.AssignName, arg, new)
            name.name = arg.arg
            self._save_assignment(name)
            parameters.append(name)
        new.args = parameters
        new.defaults = self._children(node.defaults, new)
        new.kwonlyargs, new.posonlyargs, new.kw_defaults = [], [], []
        new.annotations = [None] * len(args)
        new.kwonlyargs_annotations, new.posonlyargs_annotations = [], []
        new.varargannotation = new.kwargannotation = None
        new.type_comment_args = [None] * len(args)
        new.type_comment_kwonlyargs, new.type_comment_posonlyargs = [], []
        if args and _ARGUMENTS_SPAN_PARAMETERS:  # astroid 4: the lines of the parameters
            new.lineno = min(arg.lineno for arg in args)
            new.end_lineno = max(arg.end_lineno for arg in args)
        return new

    def _fast_dict(self, node: Any, parent: Any) -> Any:
        if None in node.keys:  # ``{**other}``: astroid makes a ``DictUnpack`` key
            return _Rebuilder.visit(self, node, parent)
        new = self._start(nodes.Dict, node, parent)
        items = []
        for key, value in zip(node.keys, node.values):
            built_value = self._child(value, new)  # astroid visits the value first
            items.append((self._child(key, new), built_value))
        new.items = items
        return new


# The astroid classes the fast visits create: each is recorded in its own list.
_FAST_KINDS = (
    nodes.Name, nodes.AssignName, nodes.Attribute, nodes.Const, nodes.Call, nodes.Keyword, nodes.Expr,
    nodes.Return, nodes.Assign, nodes.If, nodes.Compare, nodes.BoolOp, nodes.BinOp, nodes.UnaryOp,
    nodes.List, nodes.Tuple, nodes.Subscript, nodes.Dict, nodes.Arguments,
)

_FAST_VISITS = {
    ast.Name: "_fast_name",
    ast.Attribute: "_fast_attribute",
    ast.Constant: "_fast_constant",
    ast.Call: "_fast_call",
    ast.keyword: "_fast_keyword",
    ast.Expr: "_fast_expr",
    ast.Return: "_fast_return",
    ast.Assign: "_fast_assign",
    ast.If: "_fast_if",
    ast.Compare: "_fast_compare",
    ast.BoolOp: "_fast_boolop",
    ast.BinOp: "_fast_binop",
    ast.UnaryOp: "_fast_unaryop",
    ast.List: "_fast_list",
    ast.Tuple: "_fast_tuple",
    ast.Subscript: "_fast_subscript",
    ast.Dict: "_fast_dict",
    ast.arguments: "_fast_arguments",
}


_SAMPLE = """\
import os
from flask import Flask, request as rq
app = Flask(__name__)
app.config["X"] = os.environ.get("X", "d")
@app.route("/a", methods=["GET"])
def view(x, *a, k=1, **kw):
    "doc"
    y = rq.args.get("q", type=int)
    f(*a, **kw)
    del y, app.x
    return
def paged(
    page, per_page=rq.args,
):
    pass
@app.get("/b")
@login_required
def listed(item_id) -> str:
    'List.'
    global counter
    counter = 1
    return f(item_id)
def gen():
    yield rq.form
    return b"x", 1.5, None, ..., True, f"{x!r}"
if not (a < b <= c and x is None) or -x + 2 in [y, {"k": z[0]}]:
    first, second = u = {**d, "k": 1}
"""

_REBUILDER_CLASS: type[_Rebuilder] | None = None
# Does astroid's own visit give ``Arguments`` the lines of its parameters (astroid 4 does,
# astroid 3 leaves them None)? The fast visit does what astroid does; set at start-up.
_ARGUMENTS_SPAN_PARAMETERS = False


def _fast_visits_agree() -> bool:
    """Do ``_FastRebuilder`` and astroid's visits build the same tree from ``_SAMPLE``?

    astroid's tree of the sample also tells whether this astroid gives parameters the lines
    they span (``_ARGUMENTS_SPAN_PARAMETERS``), which the fast visit of parameters then follows.
    """
    global _ARGUMENTS_SPAN_PARAMETERS
    tree = ast.parse(_SAMPLE)
    plain_rebuilder, fast_rebuilder = _new_rebuilder(_Rebuilder), _new_rebuilder(_FastRebuilder)
    plain = _build(tree, _SAMPLE, "sample.py", plain_rebuilder)
    first_def = next(node for node in plain.body if isinstance(node, nodes.FunctionDef))
    _ARGUMENTS_SPAN_PARAMETERS = first_def.args.lineno is not None
    fast = _build(tree, _SAMPLE, "sample.py", fast_rebuilder)
    _discard(plain_rebuilder)
    _discard(fast_rebuilder)
    try:
        plain_nodes, fast_nodes = _preorder(plain), _preorder(fast)
    except AttributeError:  # a fast visit left a child out
        agree = False
    else:  # the modules themselves differ in how their nodes were recorded
        agree = (
            len(plain.built_nodes) == len(fast.built_nodes)
            and len(plain_nodes) == len(fast_nodes)
            and all(map(_same_node, plain_nodes[1:], fast_nodes[1:]))
        )
    release_tree(plain)  # free both samples now: ``gc.freeze()`` follows and would keep them
    release_tree(fast)
    return agree


def _preorder(module: nodes.Module) -> list[nodes.NodeNG]:
    """The nodes of ``module`` in pre-order, docstrings included (a walk; for checks only)."""
    found: list[nodes.NodeNG] = []
    pending: list[nodes.NodeNG] = [module]
    while pending:
        node = pending.pop()
        found.append(node)
        children = list(node.get_children())
        doc = getattr(node, "doc_node", None)
        if doc is not None:
            children.insert(0, doc)
        pending.extend(reversed(children))
    return found


def _same_node(one: nodes.NodeNG, other: nodes.NodeNG) -> bool:
    if type(one) is not type(other) or vars(one).keys() != vars(other).keys():
        return False
    for name, value in vars(one).items():
        theirs = vars(other)[name]
        if isinstance(value, nodes.NodeNG) or name == "parent":
            if type(value) is not type(theirs):
                return False
        elif isinstance(value, list):
            if [type(item) for item in value] != [type(item) for item in theirs]:
                return False
        elif isinstance(value, (str, bytes, int, float, bool, type(None))) and value != theirs:
            return False
    return True


# A rebuilder that built a file and holds nothing of it, ready for the next one: setting one up
# (its tables of visit methods) cost about 7 us, as much as building a one-line module. One per thread;
# taken while it builds, so a build started during another one gets a rebuilder of its own.
_IDLE = threading.local()


def _rebuilder() -> _Rebuilder:
    global _REBUILDER_CLASS
    if _REBUILDER_CLASS is None:
        _REBUILDER_CLASS = _Rebuilder  # while the check runs, and if it fails
        if _fast_visits_agree():
            _REBUILDER_CLASS = _FastRebuilder
    idle = getattr(_IDLE, "rebuilder", None)
    if type(idle) is _REBUILDER_CLASS:
        _IDLE.rebuilder = None
        return idle
    return _new_rebuilder(_REBUILDER_CLASS)


def _new_rebuilder(kind: type[_Rebuilder]) -> _Rebuilder:
    # The rebuilder gets no source text: astroid uses it only to tokenize the header of every
    # ``def`` and ``class`` again for ``.position`` (the span of the keyword and name, for
    # pylint's messages), which is then None here. Findings are reported at ``lineno`` and
    # ``col_offset``, which come from the ``ast`` tree.
    global _MANAGER
    if _MANAGER is None:
        _MANAGER = AstroidManager()  # cheap: the brain is shared and nothing is bootstrapped
        # A few astroid lookups read the manager's builtins module directly (a name in a
        # decorator inside a class body, for one); give them the stand-in. A real bootstrap,
        # should anything in the process run one, replaces it.
        _MANAGER.astroid_cache.setdefault("builtins", builtins_lookup("object")[0])
    if _REBUILDER_TAKES_PARSER:  # astroid 3
        from astroid._ast import get_parser_module

        rebuilder = kind(_MANAGER, get_parser_module(), None)  # type: ignore[call-arg]
    else:
        rebuilder = kind(_MANAGER, None)
    rebuilder.methods = getattr(rebuilder, "_visit_meths", {})  # astroid's own table, if it has one
    if isinstance(rebuilder, _FastRebuilder):
        rebuilder.fast = {ast_class: getattr(rebuilder, name) for ast_class, name in _FAST_VISITS.items()}
    _forget_file(rebuilder)  # the per-file records, empty
    return rebuilder


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
        if len(scope_locals) > 1:
            scope_locals.sort(key=lambda n: n.fromlineno or 0)


class LintedModule(nodes.Module):
    """An astroid ``Module`` whose lookups end in the stand-in builtins, never in astroid's.

    Only the lookups differ: astroid's fall back to ``builtin_lookup``, and its ``__name__`` lookup
    reads ``builtins_module``; both bootstrap astroid's model of the builtins module on first use.
    The rebuilder's records of the nodes of the tree (docstrings included): ``walked_nodes``, the
    module and the nodes astroid's own visits built, in pre-order; ``nodes_by_kind``, the nodes of
    the fast visits grouped by class (each group in pre-order); ``unlisted_nodes``, the nodes
    astroid makes without its visitor; ``nodes_by_scope``, the calls, attributes and comparisons
    of each function, lambda and class (by ``id``; None when the fast visits were not used).
    ``source_text`` is the text it was built from.
    """

    walked_nodes: list[nodes.NodeNG]
    nodes_by_kind: dict[type, list[nodes.NodeNG]]
    unlisted_nodes: list[nodes.NodeNG]
    nodes_by_scope: dict[int, tuple[list[nodes.NodeNG], ...]] | None
    source_text: str

    @property
    def built_nodes(self) -> list[nodes.NodeNG]:
        """Every node the visitor built: the module first, then no particular order."""
        return [*self.walked_nodes, *chain.from_iterable(self.nodes_by_kind.values())]

    def scope_lookup(
        self, node: Any, name: str, offset: int = 0
    ) -> tuple[nodes.LocalsDictNodeNG, list[nodes.NodeNG]]:
        if name in self.scope_attrs and name not in self.locals:
            # ``__name__``, ``__file__``, ...: what astroid's ``Module.getattr`` gives, except that
            # its ``"__main__"`` alternative for ``__name__`` sits in the stand-in builtins.
            try:
                found = [self.special_attributes.lookup(name)]
            except AttributeInferenceError:
                return self, []
            if name == "__name__":
                main = nodes.Const("__main__")
                main.parent = builtins_lookup(name)[0]
                found.append(main)
            return self, found
        return self._scope_lookup(node, name, offset)

    def _scope_lookup(
        self, node: Any, name: str, offset: int = 0
    ) -> tuple[nodes.LocalsDictNodeNG, list[nodes.NodeNG]]:
        # Every lookup that reaches module level ends here (``scope_lookup`` of a module, of a
        # function's default values, of a class at top level); astroid's version would go on
        # to ``builtin_lookup``.
        bound = self.locals.get(name)
        if bound:
            found = only_binding_seen_from_inside(self, node, bound, offset)
            if found is None:
                found = _filter_stmts(node, bound, self, offset)
            if found:
                return self, found
        return builtins_lookup(name)


def only_binding_seen_from_inside(
    module: nodes.Module, node: nodes.NodeNG, bound: list[nodes.NodeNG], offset: int
) -> list[nodes.NodeNG] | None:
    """``[binding]`` when astroid's ``_filter_stmts`` would return exactly that, None when unsure.

    The common lookup in a Flask module: ``request``, ``db`` or ``bp``, bound once by a plain
    top-level statement, used in a function or class body, a decorator or module-level code.
    A single binding that is a direct child of the module is never in a branch exclusive with
    the use, so the answer is the binding itself; ``_filter_stmts`` would reach it after walking
    both statements and their ancestors. astroid filters by position only code that runs in the
    module's own frame (module-level code, the header of a top-level ``def`` or ``class``): there
    the binding must come first. Anything else (several bindings, a binding inside ``if`` or
    ``try``, a binding after the use) takes astroid's path.
    """
    if offset != 0 or len(bound) != 1 or node.parent is None:
        return None
    binding = bound[0]
    statement = _top_level_statement(module, binding)
    if statement is None:
        return None
    used_in = node.statement()
    if used_in is statement:
        return None
    frame = node.frame()
    header = used_in is frame and frame.parent is not None and frame.parent.frame() is module
    if frame is module or header:
        # Module-level code, or a decorator, default or base of a top-level def or class: astroid
        # keeps the binding only when its statement does not start after the use's statement.
        if _starts_after(statement, used_in):
            return None
    return [binding]


def own_assignment_seen_from_body(node: nodes.Name) -> tuple[nodes.NodeNG, list[nodes.NodeNG]] | None:
    """``node.lookup(node.name)`` when astroid would answer ``(function, [binding])``, None when
    unsure.

    The common lookup inside a view: ``form = Form()`` then ``render(form=form)``, a name the
    function binds once, by a plain ``name = ...`` statement of its own body, read in a later
    statement of that body (not in a nested function, class, lambda or comprehension, nor in the
    ``def`` line). astroid's ``_filter_stmts`` keeps that binding after walking the statements
    and their ancestors; anything else (several bindings, a binding in a branch, unpacking, a
    binding after the use, the use in the binding's own statement) takes astroid's path.
    """
    name = node.name
    scope = node.scope()
    if type(scope) not in _FUNCTION_DEFS or name == "__class__":
        return None
    bound = scope.locals.get(name)
    if bound is None or len(bound) != 1:
        return None
    binding = bound[0]
    statement = binding.parent
    if type(binding) is not nodes.AssignName or type(statement) is not nodes.Assign or statement.parent is not scope:
        return None
    used_in = node.statement()
    if used_in is scope or used_in is statement:
        return None
    if _starts_after(statement, used_in) is not False:  # after the use, or a line unknown
        return None
    return scope, [binding]


def seen_from_top_level_decorator(node: nodes.Name) -> tuple[nodes.Module, list[nodes.NodeNG]] | None:
    """``node.lookup(node.name)`` when astroid would answer ``(module, [binding])`` for a name
    read in a decorator of a top-level ``def`` or ``class``, None when unsure.

    The common lookup of route decorators: ``bp`` in ``@bp.route("/")``, ``login_required``,
    ``ROLE`` in ``@roles_required(role=ROLE)``. astroid looks such a name up in the module
    (a decorator's scope is the scope around what it decorates), whose answer is the rule of
    ``only_binding_seen_from_inside`` for a use in the header of a top-level definition: the
    module's single binding, made by a plain top-level statement that does not start after the
    decorated statement. This gives it without climbing the tree from the name. A decorator
    that holds a lambda or comprehension, several bindings, or a special name such as
    ``__name__`` take astroid's path.
    """
    parent = node.parent
    while type(parent) in _DECORATOR_PARTS:
        parent = parent.parent
    if type(parent) is not nodes.Decorators:
        return None
    decorated = parent.parent
    module = decorated.parent
    if not isinstance(module, LintedModule):
        return None
    bound = module.locals.get(node.name)
    if bound is None or len(bound) != 1:
        return None
    binding = bound[0]
    statement = _top_level_statement(module, binding)
    if statement is None or statement is decorated:
        return None
    if _starts_after(statement, decorated):
        return None
    return module, [binding]


def seen_from_function_body(module: nodes.Module, name: str) -> list[nodes.NodeNG] | None:
    """The bindings astroid's lookup gives for ``name`` read in the body of a function of
    ``module`` that does not bind it (a top-level function or a method of a top-level class;
    see ``names._function_reading_outer_name``), when no function binds it for the module either;
    None when unsure.

    astroid skips the function and its classes and asks the module: a single binding made by a
    plain top-level statement is the answer wherever the body reads it (see
    ``only_binding_seen_from_inside``), and a name the module never binds is a builtin. Several
    bindings and the module's special names (``__name__``, ``__file__``) take astroid's path.
    """
    bound = module.locals.get(name)
    if not bound:
        return None if name in module.scope_attrs else builtins_lookup(name)[1]
    if len(bound) != 1 or _top_level_statement(module, bound[0]) is None:
        return None
    return [bound[0]]


def look_up(node: nodes.Name) -> tuple[nodes.LocalsDictNodeNG, list[nodes.NodeNG]]:
    """``node.lookup(node.name)``, through the shortcuts that give astroid's own answer for the
    common shapes: a name in a top-level decorator, a name a function assigns once and reads."""
    return seen_from_top_level_decorator(node) or own_assignment_seen_from_body(node) or node.lookup(node.name)


# What may stand between a name and the decorator list it is part of without starting a scope.
_DECORATOR_PARTS = frozenset({nodes.Attribute, nodes.Call, nodes.Keyword})
_SAME_FIRST_LINE = frozenset({nodes.Assign, nodes.AnnAssign, nodes.Import, nodes.ImportFrom})


def _starts_after(statement: nodes.NodeNG, used_in: nodes.NodeNG) -> bool | None:
    """Does ``statement`` start on a later line than ``used_in`` (astroid's ``fromlineno``)?
    None when either line is unknown."""
    if _starts_by(statement, used_in):
        return False
    line, bound_at = used_in.fromlineno, statement.fromlineno
    if not line or not bound_at:
        return None
    return bound_at > line


def _starts_by(statement: nodes.NodeNG, used_in: nodes.NodeNG) -> bool:
    """``0 < statement.fromlineno <= used_in.fromlineno``, surely, without computing either.

    ``fromlineno`` is an astroid ``cached_property`` (a lock and an instance dictionary on
    first use). For these statements it is their ``lineno``; for any node it is at least its
    ``lineno`` (a decorated ``def`` adds its decorators' lines). False means "ask astroid"."""
    line = statement.lineno
    return type(statement) in _SAME_FIRST_LINE and bool(line) and line <= (used_in.lineno or 0)


_FUNCTION_DEFS = frozenset({nodes.FunctionDef, nodes.AsyncFunctionDef})
_TOP_LEVEL_DEFINITIONS = (
    nodes.Import, nodes.ImportFrom, nodes.FunctionDef, nodes.AsyncFunctionDef, nodes.ClassDef,
)


def _top_level_statement(module: nodes.Module, binding: nodes.NodeNG) -> nodes.NodeNG | None:
    if isinstance(binding, _TOP_LEVEL_DEFINITIONS):
        return binding if binding.parent is module else None
    if isinstance(binding, nodes.AssignName):
        parent = binding.parent
        if isinstance(parent, (nodes.Assign, nodes.AnnAssign)) and parent.parent is module:
            return parent
    return None


_BUILTINS: LintedModule | None = None


def builtins_lookup(name: str) -> tuple[nodes.Module, list[nodes.NodeNG]]:
    """``(builtins module, [definition])`` for a builtin name, ``(builtins module, [])`` else."""
    global _BUILTINS
    if _BUILTINS is None:
        _BUILTINS = _standin_builtins()
    if name == "__dict__":
        return _BUILTINS, []
    return _BUILTINS, list(_BUILTINS.locals.get(name, ()))


def _standin_builtins() -> LintedModule:
    module = nodes.Module("builtins", pure_python=False, package=False)
    module.postinit(body=[])
    module.__class__ = LintedModule
    for name, value in sorted(vars(builtins).items()):
        if name.startswith("__") and name != "__import__":
            continue
        if isinstance(value, type):
            definition: nodes.NodeNG = _standin_class(name, module)
        elif callable(value):
            definition = _standin_function(name, module)
        else:
            definition = nodes.EmptyNode(parent=module)
        if definition not in module.locals.get(name, ()):  # astroid 3 binds definitions itself
            module.set_local(name, definition)
    return module


def _standin_class(name: str, module: nodes.Module) -> nodes.ClassDef:
    klass = nodes.ClassDef(
        name, lineno=0, col_offset=0, parent=module, end_lineno=0, end_col_offset=0
    )
    klass.postinit(bases=[], body=[], decorators=None)
    return klass


def _standin_function(name: str, module: nodes.Module) -> nodes.FunctionDef:
    function = nodes.FunctionDef(
        name, lineno=0, col_offset=0, parent=module, end_lineno=0, end_col_offset=0
    )
    arguments = nodes.Arguments(vararg=None, kwarg=None, parent=function)
    arguments.postinit(
        args=None, defaults=None, kwonlyargs=[], kw_defaults=None, annotations=[],
        posonlyargs=[], kwonlyargs_annotations=[], posonlyargs_annotations=[],
    )
    function.postinit(args=arguments, body=[])
    return function
