"""Which expressions are Flask apps, blueprints or Flask-SocketIO servers.

An expression is an app when it is built by ``Flask(...)`` or a subclass, returned by a factory
function of the file or of the project, read from a name or ``self.attribute`` assigned such a
value, imported from another module of the project that defines one, annotated as ``Flask``, or a
parameter that the function registers routes or blueprints on (``def init_app(app)``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from astroid import nodes

from .build import look_up
from .project import MAX_DEPTH

if TYPE_CHECKING:
    from .flask_file import FlaskFile

Kind = Literal["app", "blueprint", "registrar", "socketio"]

CONSTRUCTORS: dict[str, Kind] = {
    "flask.Flask": "app",
    "flask.Blueprint": "blueprint",
    "flask_socketio.SocketIO": "socketio",
}
ROUTE_OWNERS = frozenset({"app", "blueprint", "registrar"})
# Calling one of these on a function parameter shows the parameter is an app or blueprint.
_APP_ONLY_METHODS = frozenset({"register_blueprint", "teardown_appcontext", "wsgi_app"})
_REGISTRAR_METHODS = frozenset(
    {
        "route", "get", "post", "put", "patch", "delete", "add_url_rule", "before_request",
        "after_request", "teardown_request", "errorhandler", "context_processor",
        "template_filter", "before_app_request", "app_errorhandler", "register_error_handler",
    }
)
_EXTERNAL_ROOTS = frozenset({"flask", "werkzeug", "jinja2", "markupsafe", "flask_socketio", "os"})


class FlaskObjects:
    def __init__(self, file: FlaskFile) -> None:
        self._file = file
        self._memo: dict[int, Kind | None] = {}
        self._in_progress: set[int] = set()
        self._imported_memo: dict[tuple[str, bool], Kind | None] = {}

    # -- public questions ---------------------------------------------------------------
    def kind_of(self, node: nodes.NodeNG | None) -> Kind | None:
        if node is None:
            return None
        key = id(node)
        if key in self._memo:
            return self._memo[key]
        if key in self._in_progress:
            return None
        self._in_progress.add(key)
        try:
            kind = self._kind_of(node)
        finally:
            self._in_progress.discard(key)
        self._memo[key] = kind
        return kind

    def is_app(self, node: nodes.NodeNG | None) -> bool:
        return self.kind_of(node) == "app"

    def is_route_owner(self, node: nodes.NodeNG | None) -> bool:
        return self.kind_of(node) in ROUTE_OWNERS

    def global_kind(self, name: str) -> Kind | None:
        """Kind of the module-level name ``name`` of this file (for importers)."""
        return self._kind_of_bindings(self._file.module.locals.get(name, ()), name)

    def callable_kind(self, name: str) -> Kind | None:
        """Kind of what calling the module-level ``name`` returns (factories, subclasses)."""
        for binding in self._file.module.locals.get(name, ()):
            kind = self._called_definition_kind(binding, name)
            if kind:
                return kind
        return None

    # -- expressions ----------------------------------------------------------------------
    def _kind_of(self, node: nodes.NodeNG) -> Kind | None:
        if isinstance(node, nodes.Call):
            return self._kind_of_call(node)
        if isinstance(node, nodes.Name):
            _, bindings = look_up(node)
            return self._kind_of_bindings(bindings, node.name)
        if isinstance(node, nodes.Attribute):
            return self._kind_of_attribute(node)
        if isinstance(node, nodes.NamedExpr):
            return self.kind_of(node.value)
        return None

    def _kind_of_call(self, call: nodes.Call) -> Kind | None:
        qname = self._file.names.qualified_name(call.func)
        if qname in CONSTRUCTORS:
            return CONSTRUCTORS[qname]
        if isinstance(call.func, nodes.Name):
            _, bindings = call.func.lookup(call.func.name)
            for binding in bindings:
                kind = self._called_definition_kind(binding, call.func.name)
                if kind:
                    return kind
            return None
        if qname:
            return self._imported(qname, callable_=True)
        return None

    def _called_definition_kind(self, binding: nodes.NodeNG, name: str) -> Kind | None:
        if isinstance(binding, nodes.FunctionDef):
            return self._returned_kind(binding)
        if isinstance(binding, nodes.ClassDef):
            return self._class_kind(binding)
        if isinstance(binding, (nodes.Import, nodes.ImportFrom)):
            qname = self._file.names.imported_name(binding, name)
            return self._imported(qname, callable_=True) if qname else None
        return None

    def _returned_kind(self, function: nodes.FunctionDef) -> Kind | None:
        for node in self._file.index.returns_of(function):
            kind = self.kind_of(node.value)
            if kind in ("app", "blueprint"):
                return kind
        return None

    def _class_kind(self, klass: nodes.ClassDef, depth: int = 0) -> Kind | None:
        if depth > 5:
            return None
        for base in klass.bases:
            qname = self._file.names.qualified_name(base)
            if qname in CONSTRUCTORS:
                return CONSTRUCTORS[qname]
            if isinstance(base, nodes.Name):
                _, bindings = base.lookup(base.name)
                for binding in bindings:
                    if isinstance(binding, nodes.ClassDef) and binding is not klass:
                        kind = self._class_kind(binding, depth + 1)
                        if kind:
                            return kind
            if qname:
                kind = self._imported(qname, callable_=True)
                if kind:
                    return kind
        return None

    def _kind_of_bindings(self, bindings: object, name: str) -> Kind | None:
        for binding in bindings:  # type: ignore[attr-defined]
            kind = self._binding_kind(binding, name)
            if kind:
                return kind
        return None

    def _binding_kind(self, binding: nodes.NodeNG, name: str) -> Kind | None:
        if isinstance(binding, (nodes.Import, nodes.ImportFrom)):
            qname = self._file.names.imported_name(binding, name)
            return self._imported(qname, callable_=False) if qname else None
        if not isinstance(binding, nodes.AssignName):
            return None
        parent = binding.parent
        if isinstance(parent, nodes.Arguments):
            return self._parameter_kind(parent, binding)
        if isinstance(parent, nodes.AnnAssign):
            return self.kind_of(parent.value) or self._annotation_kind(parent.annotation)
        if isinstance(parent, (nodes.Assign, nodes.NamedExpr)):
            return self.kind_of(parent.value)
        return None

    def _annotation_kind(self, annotation: nodes.NodeNG | None) -> Kind | None:
        if annotation is None:
            return None
        if isinstance(annotation, nodes.Const) and isinstance(annotation.value, str):
            last = annotation.value.rsplit(".", 1)[-1]
            return {"Flask": "app", "Blueprint": "blueprint"}.get(last)  # type: ignore[return-value]
        return CONSTRUCTORS.get(self._file.names.qualified_name(annotation) or "")

    def _parameter_kind(self, arguments: nodes.Arguments, param: nodes.AssignName) -> Kind | None:
        annotation = _parameter_annotation(arguments, param)
        kind = self._annotation_kind(annotation)
        if kind:
            return kind
        function = arguments.parent
        if not isinstance(function, (nodes.FunctionDef, nodes.AsyncFunctionDef)):
            return None
        used = self._file.index.methods_called_on(function, param.name)
        if used & _APP_ONLY_METHODS:
            return "app"
        if used & _REGISTRAR_METHODS:
            return "registrar"
        return None

    def _kind_of_attribute(self, node: nodes.Attribute) -> Kind | None:
        qname = self._file.names.qualified_name(node)
        if qname:
            return self._imported(qname, callable_=False)
        if isinstance(node.expr, nodes.Name):
            klass = _class_of_self(node.expr)
            if klass is not None:
                for value in self._file.index.self_attribute_values(klass, node.attrname):
                    kind = self.kind_of(value)
                    if kind:
                        return kind
        return None

    # -- other modules of the project ---------------------------------------------------
    def _imported(self, qname: str, callable_: bool) -> Kind | None:
        if qname.split(".")[0] in _EXTERNAL_ROOTS:
            return None
        if _RESOLVING:
            return self._resolve_imported(qname, callable_)
        # Asked by the linted file itself (no chain under way), the answer depends only on the
        # project's files: every ``@bp.route`` of a module asks the same question once.
        key = (qname, callable_)
        if key not in self._imported_memo:
            self._imported_memo[key] = self._resolve_imported(qname, callable_)
        return self._imported_memo[key]

    def _resolve_imported(self, qname: str, callable_: bool) -> Kind | None:
        stripped = qname.lstrip(".")
        dots = qname[: len(qname) - len(stripped)]
        if "." not in stripped:
            module_name, attr = dots, stripped
        else:
            module_part, attr = stripped.rsplit(".", 1)
            module_name = dots + module_part
        if not module_name:
            return None
        key = (self._file.path, qname, callable_)
        # One chain of cross-module questions at a time, bounded in length and free of cycles
        # (cached models of other files may be asked again while they are still answering).
        if key in _RESOLVING or len(_RESOLVING) >= MAX_DEPTH:
            return None
        _RESOLVING.append(key)
        try:
            other = self._file.load_project_module(module_name)
            if other is None:
                return None
            if callable_:
                return other.objects.callable_kind(attr)
            return other.objects.global_kind(attr)
        finally:
            _RESOLVING.pop()


_RESOLVING: list[tuple[str, str, bool]] = []


def _parameter_annotation(arguments: nodes.Arguments, param: nodes.AssignName) -> nodes.NodeNG | None:
    groups = (
        (arguments.posonlyargs, arguments.posonlyargs_annotations),
        (arguments.args or [], arguments.annotations),
        (arguments.kwonlyargs, arguments.kwonlyargs_annotations),
    )
    for params, param_annotations in groups:
        for candidate, annotation in zip(params, param_annotations):
            if candidate is param:
                return annotation
    return None


def _class_of_self(name: nodes.Name) -> nodes.ClassDef | None:
    """The class whose instance ``name`` is, when ``name`` is a method's first parameter."""
    _, bindings = name.lookup(name.name)
    if len(bindings) != 1 or not isinstance(bindings[0], nodes.AssignName):
        return None
    arguments = bindings[0].parent
    if not isinstance(arguments, nodes.Arguments) or not arguments.args:
        return None
    if arguments.args[0] is not bindings[0]:
        return None
    function = arguments.parent
    klass = function.parent if function is not None else None
    return klass if isinstance(klass, nodes.ClassDef) else None
