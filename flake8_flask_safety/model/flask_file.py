"""The Flask model of one source file: what every rule family reads.

source text -> astroid module -> names, values, apps/blueprints, config writes, routes.
Every part is computed on first use, so a rule family pays only for what it asks.
"""

from __future__ import annotations

import ast
import os
import re

from astroid import nodes

from ..paths import is_test_path
from ..paths import project_dirs as _project_dirs  # noqa: F401 (kept for importers)
from . import config as _config
from .build import build_module, release_tree
from .handlers import Handlers
from .index import NodeIndex
from .lazy import cached_property
from .methods import ViewMethodModel
from .names import NameResolver
from .objects import FlaskObjects
from .project import PROJECT
from .request_data import RequestData
from .routes import Route, extract_routes
from .values import ValueResolver

_FLASK_ROOTS = frozenset({"flask", "flask_socketio", "werkzeug"})
_APP_NAME = re.compile(r"^(app|application|flask_app|webapp|.*_app)$")
# Names of functions, classes and modules whose values are test or sample data, not production's.
_TEST_DATA_WORDS = frozenset(
    {"test", "tests", "testing", "fake", "fakes", "dummy", "mock", "mocks", "fixture", "fixtures"}
)


def _keeps_for_importers(path: str, source: str) -> bool:
    # A tree built from flake8's tree differs from one built from the file (type comments are
    # dropped): only sources without any are shared.
    return os.path.basename(path) == "__init__.py" and "# type:" not in source


class FlaskFile:
    def __init__(self, module: nodes.Module, path: str) -> None:
        self.module = module
        self.path = path
        self.names = NameResolver(module, lambda: self.index)
        self.values = ValueResolver(self.names)
        self.objects = FlaskObjects(self)
        self._owns_tree = False

    @classmethod
    def from_source(cls, source: str, path: str, tree: ast.Module | None = None) -> FlaskFile:
        return cls(build_module(source, path, tree), path)

    @classmethod
    def linted(cls, source: str, path: str, tree: ast.Module | None = None) -> FlaskFile:
        """The model of the file flake8 is linting. A module another file imported earlier in the
        process is already built: its tree is reused when the text is the same.

        The tree of a package's ``__init__.py`` is kept for later importers (``from . import bp``,
        ``from app import create_app``: the modules flake8 checks after it ask for it). Other
        linted trees are not: a tree kept alive is walked by every full garbage collection for
        the rest of the run, which costs more than building the few that are imported again."""
        absolute = os.path.abspath(path)
        imported = PROJECT.loaded(absolute)
        if imported is not None and imported.module.source_text == source:  # type: ignore[attr-defined]
            return cls(imported.module, path)
        file = cls.from_source(source, path, tree)
        kept = _keeps_for_importers(path, source) and PROJECT.keep(absolute, source, cls(file.module, absolute))
        file._owns_tree = not kept
        return file

    def release(self) -> None:
        """Let reference counting free this file's model and tree now that the rules are done.

        An astroid tree is one big reference cycle (every node points to its parent) and so is
        the model (its parts point back to the file). Left alone, both wait for Python's cyclic
        garbage collector, which walks every one of their objects, once or several times, before
        freeing them. Cutting the parent links of a tree nobody else holds, and dropping what the
        model computed, frees them at once. A tree shared with the project-module cache is kept.
        The model must not be used afterwards.
        """
        if self._owns_tree:
            release_tree(self.module)  # type: ignore[arg-type]
        vars(self).clear()

    # -- the file as a whole --------------------------------------------------------------
    @cached_property
    def index(self) -> NodeIndex:
        return NodeIndex(self.module)

    @cached_property
    def module_stem(self) -> str:
        return os.path.splitext(os.path.basename(self.path))[0]

    @cached_property
    def uses_flask(self) -> bool:
        """The file imports Flask, Werkzeug or Flask-SocketIO (at any level of the file)."""
        for node in self.index.imports:
            if isinstance(node, nodes.ImportFrom):
                roots = [node.modname.split(".")[0]] if not node.level else []
            else:
                roots = [name.split(".")[0] for name, _ in node.names]
            if any(root in _FLASK_ROOTS or root.startswith("flask_") for root in roots):
                return True
        return False

    @cached_property
    def is_test_module(self) -> bool:
        return is_test_path(self.path)

    @cached_property
    def config_owner_name(self) -> str:
        """Name that speaks for this module as a config object (a package's own directory name)."""
        if self.module_stem == "__init__":
            return os.path.basename(os.path.dirname(os.path.abspath(self.path))) or self.module_stem
        return self.module_stem

    def in_test_data(self, node: nodes.NodeNG) -> bool:
        """Inside a function, class or module whose name says it holds test or fake data."""
        if _TEST_DATA_WORDS.intersection(_config.name_tokens(self.module_stem)):
            return True
        parent = node.parent
        while parent is not None:
            if isinstance(parent, (nodes.FunctionDef, nodes.AsyncFunctionDef, nodes.ClassDef)):
                if _TEST_DATA_WORDS.intersection(_config.name_tokens(parent.name)):
                    return True
            parent = parent.parent
        return False

    @cached_property
    def is_config_module(self) -> bool:
        return _config.is_config_module(self)

    @cached_property
    def config_writes(self) -> list[_config.ConfigWrite]:
        return _config.extract_config_writes(self)

    @cached_property
    def routes(self) -> list[Route]:
        return extract_routes(self)

    @cached_property
    def view_methods(self) -> ViewMethodModel:
        return ViewMethodModel(self)

    @cached_property
    def request_data(self) -> RequestData:
        return RequestData(self)

    @cached_property
    def handlers(self) -> Handlers:
        return Handlers(self)

    def calls_to(self, qnames: frozenset[str], also: frozenset[str] = frozenset()) -> list[nodes.Call]:
        """The calls that may call one of ``qnames`` (every call whose callee ``names.is_one_of``
        them, and some that do not), plus the calls of a callee whose last name is in ``also``;
        in source order. Rules loop over these instead of every call of the file."""
        return self.index.calls_named(self.names.callee_words(qnames) | also)

    def calls_of(self, qnames: frozenset[str]) -> list[nodes.Call]:
        """The calls whose callee ``names.is_one_of(qnames)``, in source order."""
        return [call for call in self.calls_to(qnames) if self.names.is_one_of(call.func, qnames)]

    # -- questions about expressions -------------------------------------------------------
    def is_config_class(self, klass: nodes.ClassDef) -> bool:
        return _config.is_config_class(self, klass)

    def looks_like_app(self, node: nodes.NodeNG) -> bool:
        """An app by the model, or, in a file that uses Flask, an expression named like one."""
        if self.objects.is_app(node):
            return True
        if not self.uses_flask:
            return False
        name = node.attrname if isinstance(node, nodes.Attribute) else getattr(node, "name", "")
        return bool(_APP_NAME.match(name)) and self.objects.kind_of(node) is None

    def load_project_module(self, dotted: str) -> FlaskFile | None:
        path = PROJECT.find_module(self.path, dotted)
        if path is None or os.path.abspath(path) == os.path.abspath(self.path):
            return None
        return PROJECT.load(path, FlaskFile.from_source)
