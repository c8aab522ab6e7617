"""The Flask model of one source file: what every rule family reads.

source text -> astroid module -> names, values, apps/blueprints, config writes, routes.
Every part is computed on first use, so a rule family pays only for what it asks.
"""

from __future__ import annotations

import os
import re
from functools import cached_property

from astroid import nodes

from . import config as _config
from .build import build_module
from .handlers import Handlers
from .index import NodeIndex
from .names import NameResolver
from .objects import FlaskObjects
from .project import PROJECT
from .routes import Route, extract_routes
from .values import ValueResolver

_FLASK_ROOTS = frozenset({"flask", "flask_socketio", "werkzeug"})
_APP_NAME = re.compile(r"^(app|application|flask_app|webapp|.*_app)$")
_TEST_DIRS = frozenset({"test", "tests", "testing"})
# Names of functions, classes and modules whose values are test or sample data, not production's.
_TEST_DATA_WORDS = frozenset(
    {"test", "tests", "testing", "fake", "fakes", "dummy", "mock", "mocks", "fixture", "fixtures"}
)


class FlaskFile:
    def __init__(self, module: nodes.Module, path: str) -> None:
        self.module = module
        self.path = path
        self.names = NameResolver(module)
        self.values = ValueResolver(self.names)
        self.objects = FlaskObjects(self)

    @classmethod
    def from_source(cls, source: str, path: str) -> FlaskFile:
        return cls(build_module(source, path), path)

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
        for node in self.module.nodes_of_class((nodes.Import, nodes.ImportFrom)):
            if isinstance(node, nodes.ImportFrom):
                roots = [node.modname.split(".")[0]] if not node.level else []
            else:
                roots = [name.split(".")[0] for name, _ in node.names]
            if any(root in _FLASK_ROOTS or root.startswith("flask_") for root in roots):
                return True
        return False

    @cached_property
    def is_test_module(self) -> bool:
        stem = self.module_stem
        if stem == "conftest" or stem.startswith("test_") or stem.endswith("_test") or stem == "tests":
            return True
        return any(part in _TEST_DIRS for part in _project_dirs(self.path))

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
    def handlers(self) -> Handlers:
        return Handlers(self)

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


def _project_dirs(path: str) -> list[str]:
    """Directory names of ``path`` inside the project flake8 runs on (below the working directory).

    flake8 passes paths as the user gave them, usually relative to the project root. Names above
    the working directory say nothing about the file (a checkout may live under ``~/tests/``).
    """
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, os.getcwd())
    except ValueError:  # another drive on Windows
        relative = absolute
    if relative.startswith(os.pardir):
        relative = os.path.join(*os.path.normpath(absolute).split(os.sep)[-3:])
    return os.path.normpath(relative).split(os.sep)[:-1]
