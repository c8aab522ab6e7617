"""Which functions of a file run inside a request, which run somewhere else, and which Flask
context is pushed around an expression.

Functions get roles from how they are registered: routes and class-based views ("view"), request
hooks ("hook"), error handlers, context processors, template filters/globals/tests, request
callbacks of extensions (Flask-Login loaders, Flask-SocketIO events), and the wrappers that
decorators return. Functions handed to something that runs them later, away from the request that
registered them, are "offloaded": thread/process/executor targets, ``atexit``/``signal`` handlers,
task-queue jobs (Celery, RQ, APScheduler, Dramatiq, Huey) and CLI commands.

Everything is read from the syntax of the file; nothing is imported or inferred.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal, NamedTuple

from astroid import nodes

from .index import CALLED_RESULT, source_position
from .lazy import cached_property
from .names import callee_name, last_words
from .routes import ROUTE_DECORATORS, VIEW_BASES

if TYPE_CHECKING:
    from .flask_file import FlaskFile

Function = nodes.FunctionDef | nodes.AsyncFunctionDef | nodes.Lambda
Context = Literal["request", "app"]

CONTEXT_GLOBALS = {
    "flask.request": "request",
    "flask.session": "session",
    "flask.g": "g",
    "flask.current_app": "current_app",
}
_GLOBAL_NAMES = frozenset(CONTEXT_GLOBALS.values())
_FLASK_MODULES = frozenset({"flask", "flask.globals"})

# Roles of functions that Flask calls while it handles a request.
REQUEST_ROLES = frozenset(
    {
        "view", "view_like", "hook", "error_handler", "context_processor", "template_helper",
        "callback", "wrapper",
    }
)

_HOOKS = frozenset(
    {
        "before_request", "after_request", "teardown_request", "before_app_request",
        "after_app_request", "teardown_app_request", "before_first_request",
        "before_app_first_request", "url_value_preprocessor", "app_url_value_preprocessor",
        "url_defaults", "app_url_defaults",
    }
)
_ERROR_HANDLERS = frozenset({"errorhandler", "app_errorhandler", "register_error_handler"})
_CONTEXT_PROCESSORS = frozenset({"context_processor", "app_context_processor"})
_TEMPLATE_HELPERS = frozenset(
    {
        "template_filter", "template_global", "template_test", "app_template_filter",
        "app_template_global", "app_template_test", "add_template_filter", "add_template_global",
        "add_template_test", "add_app_template_filter", "add_app_template_global",
        "add_app_template_test",
    }
)
# Extension callbacks that run inside a request: Flask-Login, Flask-HTTPAuth, Flask-JWT-Extended,
# Flask-SocketIO event handlers (which get a request context of their own), Flask-Admin and
# Flask-AppBuilder ``@expose`` views.
_CALLBACKS = frozenset(
    {
        "user_loader", "request_loader", "header_loader", "unauthorized_handler",
        "needs_refresh_handler", "verify_password", "verify_token", "get_password",
        "error_handler", "on", "event", "on_error", "on_error_default", "expose",
        "user_lookup_loader", "user_identity_loader", "additional_claims_loader",
        "token_in_blocklist_loader", "unauthorized_loader", "invalid_token_loader",
        "expired_token_loader", "localeselector", "timezoneselector", "tokengetter",
    }
)
_VIEW_CLASS_BASES = VIEW_BASES | frozenset(
    {
        "flask_restful.Resource", "flask_restx.Resource", "flask_restplus.Resource",
        "flask_classful.FlaskView", "flask_appbuilder.BaseView", "flask_appbuilder.ModelView",
        "flask_admin.BaseView", "flask_admin.contrib.sqla.ModelView",
    }
)
_VIEW_CLASS_SUFFIXES = ("Resource", "View", "API", "Api", "Handler")
_REQUEST_HANDLER_PREFIX = re.compile(r"^RH(?:[A-Z]|$)")  # "request handler" classes (Indico's RHBase)
# Classes whose methods an extension calls for each request or event: Flask-SocketIO namespaces,
# Graphene mutations and object types (GraphQL resolvers).
_HANDLER_CLASS_BASES = frozenset(
    {"flask_socketio.Namespace", "graphene.Mutation", "graphene.ObjectType", "graphene.relay.ClientIDMutation"}
)
# Registration methods also called with the function: ``app.before_request(f)``, ``lm.user_loader(f)``.
_CALL_REGISTRATIONS = (
    _HOOKS | _CONTEXT_PROCESSORS | _TEMPLATE_HELPERS | {"register_error_handler"}
    | (_CALLBACKS - {"on", "event", "error_handler", "expose"})
)
# Keyword arguments that register a callback Flask-Babel calls inside a request.
_CALLBACK_KEYWORDS = frozenset({"locale_selector", "timezone_selector"})

_TASK_DECORATOR_ATTRS = frozenset({"task", "periodic_task", "actor", "scheduled_job"})
_TASK_DECORATORS = frozenset(
    {"celery.shared_task", "celery.task", "dramatiq.actor", "rq.decorators.job", "rq.job", "huey.task"}
)
_CLI_DECORATORS = frozenset({"click.command", "click.group", "flask.cli.with_appcontext"})
_CLI_GROUP_FACTORIES = frozenset({"flask.cli.AppGroup", "click.Group", "flask.cli.FlaskGroup"})
_COPY_CONTEXT = "flask.copy_current_request_context"
_WRAPS = frozenset({"functools.wraps"})
# What a decorator's qualified name is compared with; a decorator whose last name ends none of
# these (``@bp.route``, ``@login_required``) needs no resolving, except ``@<queue>.job``.
_DECORATOR_WORDS = last_words(
    _COPY_CONTEXT, "flask.after_this_request", "atexit.register", *_WRAPS, *_TASK_DECORATORS,
    *_CLI_DECORATORS,
)
_PARTIAL = frozenset({"functools.partial"})

# Constructors and functions that run a callable later, elsewhere: (position, keyword, how).
_RUNNERS: dict[str, tuple[int, str, str]] = {
    "threading.Thread": (1, "target", "in a background thread (threading.Thread)"),
    "threading.Timer": (1, "function", "in a timer thread (threading.Timer)"),
    "multiprocessing.Process": (1, "target", "in another process (multiprocessing.Process)"),
    "_thread.start_new_thread": (0, "function", "in a background thread (_thread.start_new_thread)"),
    "gevent.spawn": (0, "run", "in a greenlet (gevent.spawn)"),
    "eventlet.spawn": (0, "func", "in a green thread (eventlet.spawn)"),
    "atexit.register": (0, "func", "at interpreter exit (atexit.register)"),
    "signal.signal": (1, "handler", "as a signal handler (signal.signal)"),
}
_RUNNER_NAMES = frozenset(_RUNNERS)
# Methods that run a callable later: method -> (position, keyword, how).
_RUNNER_METHODS: dict[str, tuple[int, str, str]] = {
    "submit": (0, "fn", "in an executor thread (executor.submit)"),
    "run_in_executor": (1, "func", "in an executor thread (loop.run_in_executor)"),
    "start_background_task": (0, "target", "in a background task (start_background_task)"),
}
_EXECUTOR_FACTORIES = frozenset(
    {
        "concurrent.futures.ThreadPoolExecutor", "concurrent.futures.ProcessPoolExecutor",
        "multiprocessing.Pool", "multiprocessing.pool.ThreadPool", "multiprocessing.pool.Pool",
    }
)
_QUEUE_METHODS: dict[str, tuple[int, str, str]] = {
    "enqueue": (0, "f", "as a queued job (enqueue)"),
    "enqueue_call": (0, "func", "as a queued job (enqueue_call)"),
    "enqueue_in": (1, "func", "as a queued job (enqueue_in)"),
    "enqueue_at": (1, "func", "as a queued job (enqueue_at)"),
    "add_job": (0, "func", "as a scheduled job (add_job)"),
}
# Last names of the callees that ``_classify_call`` looks at, apart from ``_RUNNER_NAMES``.
_CALL_WORDS = frozenset(_RUNNER_METHODS) | {"map"} | frozenset(_QUEUE_METHODS) | _CALL_REGISTRATIONS
_CONTEXT_FACTORIES: dict[str, Context] = {
    "app_context": "app",
    "test_request_context": "request",
    "request_context": "request",
    "test_client": "request",  # ``with client:`` keeps the last request's context for assertions
}


class ContextUse(NamedTuple):
    node: nodes.NodeNG  # the expression that names the proxy (a Name or an Attribute)
    name: str  # "request", "session", "g" or "current_app"
    dereferenced: bool  # an attribute, item, call, ``in`` test or loop: the proxy looks up its object


class Offload(NamedTuple):
    kind: Literal["background", "task", "cli"]
    how: str  # "in a background thread (threading.Thread)"
    node: nodes.NodeNG  # where it is registered


class Handlers:
    def __init__(self, file: FlaskFile) -> None:
        self._file = file
        self._roles: dict[int, set[str]] = {}
        self._offloads: dict[int, Offload] = {}
        self._copied: set[int] = set()
        self._classified = False

    # -- roles ---------------------------------------------------------------------------
    def roles(self, function: nodes.NodeNG) -> frozenset[str]:
        self._classify()
        return frozenset(self._roles.get(id(function), ()))

    def offload(self, function: nodes.NodeNG) -> Offload | None:
        self._classify()
        if id(function) in self._copied:
            return None
        return self._offloads.get(id(function))

    def copies_request_context(self, function: nodes.NodeNG) -> bool:
        self._classify()
        return id(function) in self._copied

    @cached_property
    def offloaded(self) -> list[tuple[Function, Offload]]:
        self._classify()
        found = [(self._by_id[key], offload) for key, offload in self._offloads.items()
                 if key not in self._copied]
        return sorted(found, key=lambda pair: (pair[0].lineno or 0, pair[0].col_offset or 0))

    def functions_with(self, roles: frozenset[str]) -> list[Function]:
        self._classify()
        return [self._by_id[key] for key, found in self._roles.items() if found & roles]

    def request_handler_around(self, node: nodes.NodeNG) -> Function | None:
        """The innermost enclosing function that Flask calls inside a request, if any."""
        for function in enclosing_functions(node):
            if self.roles(function) & REQUEST_ROLES:
                return function
        return None

    # -- contexts ------------------------------------------------------------------------
    @cached_property
    def context_uses(self) -> list[ContextUse]:
        """Every expression of the file that names ``flask.request/session/g/current_app``."""
        local_names, module_names = self._imported_names
        if not local_names and not module_names:
            return []
        uses: list[ContextUse] = []
        for name in self._file.index.names:
            if name.name in local_names:
                expr: nodes.NodeNG | None = name
            elif name.name in module_names:
                expr = _global_attribute(name)
            else:
                continue
            if expr is None or _in_annotation(expr):
                continue
            which = CONTEXT_GLOBALS.get(self._file.names.qualified_name(expr) or "")
            if which is not None:
                uses.append(ContextUse(expr, which, _dereferenced(expr)))
        return uses

    def pushed_context(self, node: nodes.NodeNG) -> Context | None:
        """The context that code around ``node`` pushes before it runs: a ``with`` block
        (``app.app_context()``, ``app.test_request_context()``) or an earlier ``.push()`` of one
        in the same function or module body."""
        found: Context | None = None
        child, parent = node, node.parent
        frame = _frame(node)
        while parent is not None and parent is not frame:
            if isinstance(parent, (nodes.With, nodes.AsyncWith)) and child not in _with_items(parent):
                for expr, _ in parent.items:
                    found = _stronger(found, _context_call_kind(expr))
            child, parent = parent, parent.parent
        for call in self._context_calls.get(id(frame), ()):
            if source_position(call) < source_position(node):
                found = _stronger(found, _CONTEXT_FACTORIES[call.func.attrname])
        return found

    @cached_property
    def _context_calls(self) -> dict[int, list[nodes.Call]]:
        grouped: dict[int, list[nodes.Call]] = {}
        for call in self._file.index.calls_named(_CONTEXT_FACTORIES):
            func = call.func
            if isinstance(func, nodes.Attribute) and not (
                isinstance(call.parent, (nodes.With, nodes.AsyncWith))  # the with block is its extent
            ):
                grouped.setdefault(id(_frame(call)), []).append(call)
        return grouped

    @cached_property
    def _imported_names(self) -> tuple[frozenset[str], frozenset[str]]:
        """Local names bound to the context globals, and local names of the ``flask`` module."""
        local: set[str] = set()
        modules: set[str] = set()
        for node in self._file.index.imports:
            if isinstance(node, nodes.ImportFrom):
                if node.level or node.modname not in _FLASK_MODULES:
                    continue
                for name, alias in node.names:
                    if name == "*":
                        local |= _GLOBAL_NAMES
                    elif name in _GLOBAL_NAMES:
                        local.add(alias or name)
            else:
                for name, alias in node.names:
                    if name in _FLASK_MODULES:
                        modules.add(alias or name.split(".")[0])
        return frozenset(local), frozenset(modules)

    # -- classification ---------------------------------------------------------------------
    def _classify(self) -> None:
        if self._classified:
            return
        self._classified = True
        self._by_id: dict[int, Function] = {}
        for route in self._file.routes:
            if isinstance(route.view, (nodes.FunctionDef, nodes.AsyncFunctionDef)):
                self._add(route.view, "view")
            elif isinstance(route.view, nodes.ClassDef):
                self._add_methods(route.view)
        for klass in self._file.index.classes:
            kind = self._view_class_kind(klass, 0)
            if kind is not None:
                self._add_methods(klass, kind)
        for function in self._file.index.functions:
            for decorator in function.decorators.nodes if function.decorators else ():
                self._classify_decorator(function, decorator)
            if _returned_by_enclosing_function(self._file, function):
                self._add(function, "wrapper")
        # Only calls whose callee's last name ``_classify_call`` acts on, or that it unwraps
        # (``app.errorhandler(404)(handler)``), or with a callback keyword: of thousands of
        # calls per file, a few. The keywords are rare words: without them in the text, the
        # index's grouping by callee finds the others without a look at every call.
        words = self._file.names.callee_words(_RUNNER_NAMES) | _CALL_WORDS
        index, text = self._file.index, self._file.module.source_text  # type: ignore[attr-defined]
        if not any(keyword in text for keyword in _CALLBACK_KEYWORDS):
            for call in index.calls_named(words | {CALLED_RESULT}):
                self._classify_call(call)
            return
        for call in index.calls:
            if (
                callee_name(call.func) in words
                or isinstance(call.func, nodes.Call)
                or (call.keywords and any(keyword.arg in _CALLBACK_KEYWORDS for keyword in call.keywords))
            ):
                self._classify_call(call)

    def _add(self, function: Function, role: str) -> None:
        self._by_id[id(function)] = function
        self._roles.setdefault(id(function), set()).add(role)

    def _add_offload(self, function: Function, offload: Offload) -> None:
        self._by_id[id(function)] = function
        self._offloads.setdefault(id(function), offload)

    def _add_methods(self, klass: nodes.ClassDef, role: str = "view") -> None:
        for statement in klass.body:
            if isinstance(statement, (nodes.FunctionDef, nodes.AsyncFunctionDef)):
                self._add(statement, role)

    def _view_class_kind(self, klass: nodes.ClassDef, depth: int) -> str | None:
        """"view" for subclasses of Flask's and extensions' view classes, "view_like" for classes
        deriving from a project base named like one (``BaseResource``, ``AdminView``)."""
        if depth > 5:
            return None
        found: str | None = None
        for base in klass.bases:
            qname = self._file.names.qualified_name(base) or ""
            if qname in _VIEW_CLASS_BASES:
                return "view"
            if qname in _HANDLER_CLASS_BASES:
                found = "view_like"
            name = base.attrname if isinstance(base, nodes.Attribute) else getattr(base, "name", "")
            if (name.endswith(_VIEW_CLASS_SUFFIXES) or _REQUEST_HANDLER_PREFIX.match(name)) and self._file.uses_flask:
                found = "view_like"
            if isinstance(base, nodes.Name):
                _, bindings = base.lookup(base.name)
                for binding in bindings:
                    if isinstance(binding, nodes.ClassDef) and binding is not klass:
                        kind = self._view_class_kind(binding, depth + 1)
                        if kind == "view":
                            return kind
                        found = found or kind
        return found

    def _classify_decorator(self, function: Function, decorator: nodes.NodeNG) -> None:
        target = decorator.func if isinstance(decorator, nodes.Call) else decorator
        names = self._file.names
        if names.may_name(target, _DECORATOR_WORDS) or (
            isinstance(target, nodes.Attribute) and target.attrname == "job"
        ):
            qname = names.qualified_name(target) or ""
        else:
            qname = ""
        if qname == _COPY_CONTEXT:
            self._copied.add(id(function))
            return
        if qname == "flask.after_this_request":
            self._add(function, "hook")
            return
        if qname in _WRAPS:
            self._add(function, "wrapper")
            return
        if qname in _TASK_DECORATORS:
            self._add_offload(function, Offload("task", "as a task-queue job", decorator))
            return
        if qname in _CLI_DECORATORS:
            self._add_offload(function, Offload("cli", "as a CLI command", decorator))
            return
        if qname == "atexit.register":
            self._add_offload(function, Offload("background", _RUNNERS[qname][2], decorator))
            return
        last = target.attrname if isinstance(target, nodes.Attribute) else getattr(target, "name", "")
        if last.endswith("_required") or "csrf" in last:
            # ``@login_required``, ``@auth_required(...)``, ``@unauth_csrf()``: access checks put on
            # views, also on views registered from another module.
            self._add(function, "view_like")
        if isinstance(target, nodes.Name) and target.name in _TEMPLATE_HELPERS | _CONTEXT_PROCESSORS:
            # Extensions' own registration decorators (Flask-AppBuilder's ``@app_template_filter``)
            self._add(function, "template_helper")
            return
        if not isinstance(target, nodes.Attribute):
            return
        role = self._registration_role(target, decorator)
        if role is not None:
            self._add(function, role)
        elif _pushes_request_context(decorator):
            self._copied.add(id(function))  # indico's ``@celery.task(request_context=True)``
        elif target.attrname in _TASK_DECORATOR_ATTRS or (
            target.attrname == "job" and qname.split(".")[0] in ("rq", "flask_rq2")
        ):
            self._add_offload(function, Offload("task", "as a task-queue job", decorator))
        elif target.attrname in ("command", "group") and self._is_cli_group(target.expr):
            self._add_offload(function, Offload("cli", "as a CLI command", decorator))

    def _registration_role(self, target: nodes.Attribute, decorator: nodes.NodeNG) -> str | None:
        attr = target.attrname
        flaskish = self._file.uses_flask or self._file.objects.is_route_owner(target.expr)
        if attr in ROUTE_DECORATORS:
            if self._file.objects.is_route_owner(target.expr) or (flaskish and _has_path(decorator)):
                return "view"
            return None
        if not flaskish:
            return None
        if attr in _HOOKS:
            return "hook"
        if attr in _ERROR_HANDLERS:
            return "error_handler"
        if attr in _CONTEXT_PROCESSORS:
            return "context_processor"
        if attr in _TEMPLATE_HELPERS:
            return "template_helper"
        if attr in _CALLBACKS:
            return "callback"
        return None

    def _is_cli_group(self, expr: nodes.NodeNG) -> bool:
        """``app.cli``, ``bp.cli``, an ``AppGroup``, or a function decorated as a click group."""
        if isinstance(expr, nodes.Attribute) and expr.attrname == "cli":
            return True
        if not isinstance(expr, nodes.Name):
            return False
        _, bindings = expr.lookup(expr.name)
        for binding in bindings:
            if isinstance(binding, nodes.FunctionDef) and binding.decorators:
                for decorator in binding.decorators.nodes:
                    target = decorator.func if isinstance(decorator, nodes.Call) else decorator
                    if isinstance(target, nodes.Attribute) and target.attrname == "group":
                        return True
                    if self._file.names.is_one_of(target, _CLI_DECORATORS):
                        return True
            parent = binding.parent
            if isinstance(binding, nodes.AssignName) and isinstance(parent, nodes.Assign):
                value = parent.value
                if isinstance(value, nodes.Call) and (
                    self._file.names.is_one_of(value.func, _CLI_GROUP_FACTORIES)
                ):
                    return True
        return False

    def _classify_call(self, call: nodes.Call) -> None:
        for keyword in call.keywords or ():
            if keyword.arg in _CALLBACK_KEYWORDS:
                function, _ = self._callable(keyword.value)
                if function is not None:
                    self._add(function, "callback")
        func = call.func
        if self._file.names.is_one_of(func, _RUNNER_NAMES):
            position, keyword, how = _RUNNERS[self._file.names.qualified_name(func) or ""]
            self._offload_argument(call, position, keyword, Offload("background", how, call))
            return
        if isinstance(func, nodes.Call) and isinstance(func.func, nodes.Attribute):
            # ``app.errorhandler(404)(handler)``, ``app.template_filter("x")(f)``
            role = self._registration_role(func.func, func)
            if role is not None:
                self._role_argument(call, 0, role)
            return
        if not isinstance(func, nodes.Attribute):
            return
        attr = func.attrname
        if attr in _RUNNER_METHODS:
            position, keyword, how = _RUNNER_METHODS[attr]
            self._offload_argument(call, position, keyword, Offload("background", how, call))
        elif attr == "map" and self._is_executor(func.expr):
            self._offload_argument(call, 0, "fn", Offload("background", "in an executor (executor.map)", call))
        elif attr in _QUEUE_METHODS:
            position, keyword, how = _QUEUE_METHODS[attr]
            offload = Offload("task", how, call)
            if not self._offload_argument(call, position, keyword, offload) and attr == "add_job":
                self._offload_argument(call, 1, "func", offload)  # Flask-APScheduler: add_job(id, func)
        elif attr in _CALL_REGISTRATIONS:
            role = self._registration_role(func, call)
            if role is not None:
                self._role_argument(call, 1 if attr == "register_error_handler" else 0, role)

    def _offload_argument(self, call: nodes.Call, position: int, keyword: str, offload: Offload) -> bool:
        found = self._file.values.argument(call, position, keyword)
        if found is None:
            return False
        function, copied = self._callable(found[1])
        if function is None:
            return False
        if copied:
            self._copied.add(id(function))
        self._add_offload(function, offload)
        return True

    def _role_argument(self, call: nodes.Call, position: int, role: str) -> None:
        found = self._file.values.argument(call, position, "f")
        if found is not None:
            function, _ = self._callable(found[1])
            if function is not None:
                self._add(function, role)

    def _callable(self, node: nodes.NodeNG) -> tuple[Function | None, bool]:
        """The function a callable argument names, and whether it is wrapped in
        ``copy_current_request_context``."""
        copied = False
        for _ in range(3):
            if not isinstance(node, nodes.Call) or not node.args:
                break
            qname = self._file.names.qualified_name(node.func)
            if qname == _COPY_CONTEXT:
                copied = True
            elif qname not in _PARTIAL:
                break
            node = node.args[0]
        if isinstance(node, nodes.Lambda):
            return node, copied
        if isinstance(node, nodes.Name):
            _, bindings = node.lookup(node.name)
            if len(bindings) == 1 and isinstance(bindings[0], (nodes.FunctionDef, nodes.AsyncFunctionDef)):
                return bindings[0], copied
            return None, copied
        if isinstance(node, nodes.Attribute) and isinstance(node.expr, nodes.Name) and node.expr.name == "self":
            klass = node.scope().parent
            while klass is not None and not isinstance(klass, nodes.ClassDef):
                klass = klass.parent
            if klass is not None:
                for statement in klass.body:
                    if isinstance(statement, (nodes.FunctionDef, nodes.AsyncFunctionDef)) and (
                        statement.name == node.attrname
                    ):
                        return statement, copied
        return None, copied

    def _is_executor(self, expr: nodes.NodeNG) -> bool:
        if isinstance(expr, nodes.Call):
            return self._file.names.is_one_of(expr.func, _EXECUTOR_FACTORIES)
        if not isinstance(expr, nodes.Name):
            return False
        _, bindings = expr.lookup(expr.name)
        for binding in bindings:
            parent = binding.parent
            if isinstance(parent, nodes.Assign) and self._is_executor(parent.value):
                return True
            if isinstance(parent, nodes.With):
                for item, alias in parent.items:
                    if alias is binding and self._is_executor(item):
                        return True
        return False


def enclosing_functions(node: nodes.NodeNG) -> list[Function]:
    """Functions around ``node``, innermost first. A parameter default or decorator belongs to
    the scope around its function, since it runs where the ``def`` statement runs."""
    found: list[Function] = []
    child, parent = node, node.parent
    while parent is not None:
        if isinstance(parent, (nodes.FunctionDef, nodes.AsyncFunctionDef, nodes.Lambda)):
            if not _outside_body(parent, child):
                found.append(parent)
        child, parent = parent, parent.parent
    return found


def _outside_body(function: Function, child: nodes.NodeNG) -> bool:
    if child is function.args:
        return True
    if isinstance(function, (nodes.FunctionDef, nodes.AsyncFunctionDef)):
        return child is function.decorators or child is function.returns
    return False


def _frame(node: nodes.NodeNG) -> nodes.NodeNG:
    functions = enclosing_functions(node)
    return functions[0] if functions else node.root()


def _with_items(with_node: nodes.With | nodes.AsyncWith) -> list[nodes.NodeNG]:
    items: list[nodes.NodeNG] = []
    for expr, alias in with_node.items:
        items.append(expr)
        if alias is not None:
            items.append(alias)
    return items


def _context_call_kind(expr: nodes.NodeNG) -> Context | None:
    if isinstance(expr, nodes.Call) and isinstance(expr.func, nodes.Attribute):
        return _CONTEXT_FACTORIES.get(expr.func.attrname)
    return None


def _stronger(first: Context | None, second: Context | None) -> Context | None:
    if "request" in (first, second):
        return "request"
    return first or second


def _global_attribute(name: nodes.Name) -> nodes.NodeNG | None:
    """``flask.request`` or ``flask.globals.request`` starting at the module name."""
    expr: nodes.NodeNG = name
    parent = name.parent
    for _ in range(2):
        if not isinstance(parent, nodes.Attribute) or parent.expr is not expr:
            return None
        if parent.attrname in _GLOBAL_NAMES:
            return parent
        expr, parent = parent, parent.parent
    return None


def _dereferenced(expr: nodes.NodeNG) -> bool:
    parent = expr.parent
    if isinstance(parent, (nodes.Attribute, nodes.AssignAttr, nodes.DelAttr)):
        return parent.expr is expr
    if isinstance(parent, nodes.Subscript):
        return parent.value is expr
    if isinstance(parent, nodes.Call):
        return parent.func is expr
    if isinstance(parent, nodes.Compare):
        return any(op in ("in", "not in") and right is expr for op, right in parent.ops)
    if isinstance(parent, (nodes.For, nodes.Comprehension)):
        return parent.iter is expr
    return False


def _in_annotation(node: nodes.NodeNG) -> bool:
    child, parent = node, node.parent
    while parent is not None and not (parent.is_statement or isinstance(parent, nodes.Arguments)):
        child, parent = parent, parent.parent
    if isinstance(parent, nodes.AnnAssign):
        return child is parent.annotation
    if isinstance(parent, (nodes.FunctionDef, nodes.AsyncFunctionDef)):
        return child is parent.returns
    if isinstance(parent, nodes.Arguments):
        annotations = [
            *parent.annotations, *parent.posonlyargs_annotations, *parent.kwonlyargs_annotations,
            parent.varargannotation, parent.kwargannotation,
        ]
        return any(child is annotation for annotation in annotations if annotation is not None)
    return False


def _pushes_request_context(decorator: nodes.NodeNG) -> bool:
    if not isinstance(decorator, nodes.Call):
        return False
    return any(
        keyword.arg == "request_context" and not (isinstance(keyword.value, nodes.Const) and not keyword.value.value)
        for keyword in decorator.keywords or ()
    )


def _has_path(decorator: nodes.NodeNG) -> bool:
    if not isinstance(decorator, nodes.Call) or not decorator.args:
        return False
    first = decorator.args[0]
    return isinstance(first, nodes.Const) and isinstance(first.value, str) and first.value.startswith("/")


def _returned_by_enclosing_function(file: FlaskFile, function: Function) -> bool:
    outer = function.parent.scope() if function.parent is not None else None
    if not isinstance(outer, (nodes.FunctionDef, nodes.AsyncFunctionDef)):
        return False
    name = getattr(function, "name", None)
    return any(_names(ret.value, name) for ret in file.index.returns_of(outer))


def _names(value: nodes.NodeNG | None, name: str | None) -> bool:
    """``return wrapper`` or ``return update_wrapper(wrapper, f)``."""
    if isinstance(value, nodes.Name):
        return value.name == name
    if isinstance(value, nodes.Call):
        return any(isinstance(arg, nodes.Name) and arg.name == name for arg in value.args)
    return False
