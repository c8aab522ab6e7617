"""The shortcuts in building and reading the astroid tree give astroid's own answers.

- flake8's ``ast`` tree is reused, and stays exactly as flake8 parsed it;
- the node index comes from the nodes the rebuilder recorded, not from a walk: same nodes;
- a module-level lookup of a name bound once at top level skips ``_filter_stmts``: same bindings;
- names read in a function's own body, in a top-level decorator or from a function body skip
  astroid's climb up the tree: same scope and bindings.

Checked on the fixtures, the examples and a slice of the standard library, so the shapes are real.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
import types
from pathlib import Path
from typing import Any

import pytest
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

ROOT = Path(__file__).resolve().parent.parent
STDLIB = Path(ast.__file__).resolve().parent
SAMPLES = sorted(
    [
        *(ROOT / "tests" / "fixtures").rglob("*.py"),
        *(ROOT / "examples").rglob("*.py"),
        *(STDLIB / "email").glob("*.py"),
        *(STDLIB / "json").glob("*.py"),
        STDLIB / "dataclasses.py",
        STDLIB / "typing.py",
    ]
)


def _sample_modules() -> list[tuple[Path, nodes.Module]]:
    built = []
    for path in SAMPLES:
        source = path.read_text(encoding="utf-8")
        try:
            built.append((path, build_module(source, str(path), ast.parse(source))))
        except SyntaxError:
            continue
    return built


MODULES = _sample_modules()


def test_samples_are_many_and_varied() -> None:
    assert len(MODULES) > 80
    assert sum(len(module.built_nodes) for _, module in MODULES) > 50_000


def test_flake8s_tree_is_left_as_it_was() -> None:
    source = textwrap.dedent(
        '''
        """Module docstring."""
        from flask import Flask

        class Config:
            """Class docstring."""
            DEBUG = True

        def create_app():
            """Function docstring."""
            async def inner():
                "inner docstring"
            return Flask(__name__)
        '''
    )
    tree = ast.parse(source)
    before = ast.dump(tree, include_attributes=True)
    file = FlaskFile.from_source(source, "app.py", tree)
    assert ast.dump(tree, include_attributes=True) == before
    assert file.module.doc_node.value == "Module docstring."
    klass, function = file.index.classes[0], file.index.functions[0]
    assert klass.doc_node.value == "Class docstring."
    assert function.doc_node.value == "Function docstring."
    assert [type(statement).__name__ for statement in function.body] == ["AsyncFunctionDef", "Return"]


@pytest.mark.parametrize("path", [path for path, _ in MODULES[:40]], ids=lambda p: p.name)
def test_reused_tree_builds_the_same_astroid_tree_as_parsing_again(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    from_flake8 = build_module(source, str(path), ast.parse(source))
    parsed_here = build_module(source, str(path))
    assert from_flake8.repr_tree() == parsed_here.repr_tree()


def _walk(module: nodes.Module) -> list[nodes.NodeNG]:
    found, stack = [], [module]
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(reversed(list(node.get_children())))
    return found


def _in_metaclass_keyword(node: nodes.NodeNG) -> bool:
    # astroid keeps ``metaclass=...`` of a class aside, out of its children; the index sees it.
    while node.parent is not None:
        if isinstance(node, nodes.Keyword) and isinstance(node.parent, nodes.ClassDef):
            return node.arg == "metaclass"
        node = node.parent
    return False


def test_index_holds_exactly_the_nodes_a_walk_finds() -> None:
    for path, module in MODULES:
        file = FlaskFile(module, str(path))
        index = file.index
        walked = _walk(module) + [
            node for node in module.built_nodes if _in_metaclass_keyword(node)
        ]

        def of(*kinds: type) -> set[int]:
            return {id(node) for node in walked if type(node) in kinds}

        assert {id(n) for n in index.calls} == of(nodes.Call), path
        assert {id(n) for n in index.assignments} == of(nodes.Assign, nodes.AnnAssign), path
        assert {id(n) for n in index.functions} == of(nodes.FunctionDef, nodes.AsyncFunctionDef), path
        assert {id(n) for n in index.classes} == of(nodes.ClassDef), path
        assert {id(n) for n in index.names} == of(nodes.Name), path
        assert {id(n) for n in index.returns} == of(nodes.Return), path
        assert {id(n) for n in index.imports} == of(nodes.Import, nodes.ImportFrom), path
        assert {id(n) for n in index.joined_strings} == of(nodes.JoinedStr), path
        assert {id(n) for n in index.yields} == of(nodes.Yield, nodes.YieldFrom), path
        strings = {
            id(node) for node in walked
            if type(node) is nodes.Const and isinstance(node.value, (str, bytes))
        }
        assert {id(n) for n in index.strings} == strings, path  # docstrings stay out


def test_single_top_level_binding_shortcut_agrees_with_astroid() -> None:
    taken = 0
    for path, module in MODULES:
        for node in module.built_nodes:
            if not isinstance(node, (nodes.Name, nodes.AssignName)):
                continue
            bound = module.locals.get(node.name)
            if not bound:
                continue
            shortcut = only_binding_seen_from_inside(module, node, bound, 0)
            if shortcut is None:
                continue
            taken += 1
            assert shortcut == _filter_stmts(node, bound, module, 0), (path, node.lineno, node.name)
    assert taken > 2_000


def test_first_line_shortcut_never_contradicts_astroids_fromlineno() -> None:
    from flake8_flask_safety.model.build import _starts_by

    confirmed = decorated = 0
    for _, module in MODULES:  # pairs within each module, so the sample does not hang on the order of paths
        statements = [node for node in module.built_nodes if node.is_statement and node.lineno]
        earlier = [node for node in statements if isinstance(node, (nodes.Assign, nodes.ImportFrom))][:40]
        earlier += [node for node in statements if getattr(node, "decorators", None)][:10]
        later = statements[::5]
        decorated += sum(1 for node in later if getattr(node, "decorators", None))
        for statement in earlier:
            for used_in in later:
                if _starts_by(statement, used_in):
                    assert 0 < statement.fromlineno <= used_in.fromlineno
                    confirmed += 1
    assert decorated > 20
    assert confirmed > 10_000


@pytest.mark.parametrize(
    ("shortcut", "at_least"),
    [(own_assignment_seen_from_body, 1_000), (seen_from_top_level_decorator, 300)],
    ids=["own assignment", "top-level decorator"],
)
def test_name_lookup_shortcut_agrees_with_astroid(shortcut: Any, at_least: int) -> None:
    taken = 0
    for path, module in MODULES:
        for node in module.built_nodes:
            if not isinstance(node, nodes.Name):
                continue
            answer = shortcut(node)
            if answer is None:
                continue
            taken += 1
            scope, bindings = node.lookup(node.name)
            assert answer[0] is scope and answer[1] == bindings, (path, node.lineno, node.name)
    assert taken > at_least


def test_function_body_shortcut_agrees_with_astroid() -> None:
    taken = 0
    for path, module in MODULES:
        resolver = FlaskFile(module, str(path)).names
        for node in module.built_nodes:
            if not isinstance(node, nodes.Name) or _function_reading_outer_name(node) is None:
                continue
            if not resolver._bound_at_module_level_only(node.name):
                continue
            shortcut = seen_from_function_body(module, node.name)
            if shortcut is None:
                continue
            taken += 1
            assert shortcut == node.lookup(node.name)[1], (path, node.lineno, node.name)
    assert taken > 3_000


def test_decorator_and_body_shortcuts_leave_other_shapes_to_astroid() -> None:
    module = build_module(
        textwrap.dedent(
            """\
            from flask import Blueprint
            twice = Blueprint("a", __name__)
            twice = Blueprint("b", __name__)
            bp = Blueprint("c", __name__)

            @later.route("/")
            @twice.route("/")
            @(lambda f: bp)(1)
            @bp.route("/", methods=[m for m in METHODS])
            @bp.route(__name__)
            @bp.get("/")
            def view():
                return later, twice, __name__, __file__, len, bp

            @view.attr
            def view():
                pass

            class Page:
                @bp.route("/")
                def method(self):
                    pass

            later = Blueprint("d", __name__)
            METHODS = ["GET"]
            """
        ),
        "views.py",
    )
    decorated = {
        (node.name, node.lineno)
        for node in module.nodes_of_class(nodes.Name)
        if seen_from_top_level_decorator(node) is not None
    }
    # Only ``bp`` in the three plain decorators: ``later`` is bound after the ``def``, ``twice``
    # twice, ``view`` by the statement it decorates; ``METHODS`` and the lambda's ``bp`` are read
    # in scopes of their own, ``__name__`` is special, and the method is not at top level.
    assert decorated == {("bp", 9), ("bp", 10), ("bp", 11)}
    # From a function body the position does not matter (``later``), the number of bindings and
    # the special names do.
    assert {name for name in ("later", "twice", "__name__", "__file__", "len", "bp")
            if seen_from_function_body(module, name) is not None} == {"later", "len", "bp"}
    for node in module.nodes_of_class(nodes.Name):
        assert look_up_answer(node) == node.lookup(node.name), (node.name, node.lineno)


def look_up_answer(node: nodes.Name) -> tuple[nodes.NodeNG, list[nodes.NodeNG]]:
    from flake8_flask_safety.model.build import look_up

    return look_up(node)


def test_own_assignment_shortcut_leaves_other_shapes_to_astroid() -> None:
    module = build_module(
        textwrap.dedent(
            """\
            def view(flag):
                used_first = 1 + later
                later = 2
                single = 1
                twice = 1
                if flag:
                    twice = 2
                    branch = 3
                a, b = 1, 2
                again = again_source = 4
                again = again + 1
                return [single for _ in range(3)], lambda: single, twice, branch, a, again, flag, single

            def header(default=single):
                return single
            """
        ),
        "shapes.py",
    )
    taken = {
        (node.name, node.lineno)
        for node in module.nodes_of_class(nodes.Name)
        if own_assignment_seen_from_body(node) is not None
    }
    # Only the plain read of ``single`` in the body: not in the comprehension or the lambda, not the
    # names bound twice, in a branch, by unpacking, as a parameter or after their use.
    assert taken == {("single", 12)}


def test_shortcut_leaves_position_dependent_lookups_to_astroid() -> None:
    module = build_module(
        textwrap.dedent(
            """
            print(request)
            from flask import request

            @login_required
            def view(default=request):
                return request

            from auth import login_required
            """
        ),
        "views.py",
    )
    names = {
        (node.lineno, node.name): node for node in module.built_nodes if isinstance(node, nodes.Name)
    }
    at_module_level, decorator = names[(2, "request")], names[(5, "login_required")]
    default, in_body = names[(6, "request")], names[(7, "request")]
    for node in (at_module_level, decorator):  # used before the import: astroid finds nothing
        assert only_binding_seen_from_inside(module, node, module.locals[node.name], 0) is None
    for node in (default, in_body):  # ``request`` is imported above the ``def``
        assert only_binding_seen_from_inside(module, node, module.locals["request"], 0) == [
            module.body[1]
        ]
    assert at_module_level.lookup("request")[1] == []
    assert decorator.lookup("login_required")[1] == []  # imported after the function


def test_qualified_names_with_shortcuts_agree_with_plain_lookups() -> None:
    resolved = 0
    for path, module in MODULES:
        file = FlaskFile(module, str(path))
        plain = NameResolver(module)  # no fast paths: every name through astroid's lookup
        for node in module.built_nodes:
            if isinstance(node, (nodes.Name, nodes.Attribute)):
                qname = file.names.qualified_name(node)
                assert qname == plain.qualified_name(node), (path, node.lineno, node.as_string())
                resolved += qname is not None
    assert resolved > 1_000


def test_may_name_never_rules_out_a_name_that_resolves() -> None:
    from flake8_flask_safety.model.names import last_words

    checked = 0
    for path, module in MODULES:
        file = FlaskFile(module, str(path))
        for node in module.built_nodes:
            if isinstance(node, (nodes.Name, nodes.Attribute)):
                qname = file.names.qualified_name(node)
                if qname is not None:
                    checked += 1
                    assert file.names.may_name(node, last_words(qname)), (path, node.as_string(), qname)
    assert checked > 1_000


def test_may_name_sees_through_renaming_imports() -> None:
    from flake8_flask_safety.model.names import last_words

    source = textwrap.dedent(
        """
        import werkzeug.serving as serving
        from werkzeug.serving import run_simple as start
        from flask.sansio.app import App
        serve = serving.run_simple

        def main():
            start("0.0.0.0", 5000, app)
            serve("0.0.0.0", 5000, app)
            App(__name__)
            other("0.0.0.0")
        """
    )
    file = FlaskFile.from_source(source, "run.py")
    start, serve, app, other = (call.func for call in file.index.calls)
    words = last_words("werkzeug.serving.run_simple")
    assert file.names.may_name(start, words) and file.names.may_name(serve, words)
    assert file.names.may_name(app, last_words("flask.Flask"))
    assert not file.names.may_name(other, words)


def _blueprint_package(tmp_path: Path) -> tuple[Path, str, str]:
    """A package whose ``__init__`` defines a blueprint and whose ``views`` module routes on it."""
    package = tmp_path / "shop"
    package.mkdir()
    init = "from flask import Blueprint\nbp = Blueprint('shop', __name__)\n"
    views = "from . import bp\n\n@bp.route('/buy', methods=['POST'])\ndef buy():\n    return 'ok'\n"
    (package / "__init__.py").write_text(init)
    (package / "views.py").write_text(views)
    return package, init, views


def test_a_module_imported_then_linted_is_built_once_and_linted_trees_are_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flake8_flask_safety.model import build, flask_file
    from flake8_flask_safety.model.project import ProjectModules
    from flake8_flask_safety.options import Options
    from flake8_flask_safety.plugin import analyse

    package, init, views = _blueprint_package(tmp_path)
    built: list[str] = []
    real_build = build.build_module

    def counting(source: str, path: str, tree: ast.Module | None = None) -> nodes.Module:
        built.append(Path(path).name)
        return real_build(source, path, tree)

    monkeypatch.setattr(flask_file, "build_module", counting)
    monkeypatch.setattr(flask_file, "PROJECT", ProjectModules())
    list(analyse(views, str(package / "views.py"), Options(), ast.parse(views)))
    assert built == ["views.py", "__init__.py"]  # the blueprint's module, read to know ``bp``
    list(analyse(init, str(package / "__init__.py"), Options(), ast.parse(init)))
    assert built == ["views.py", "__init__.py"]  # linting it reuses that tree
    edited = init + "# edited\n"
    (package / "__init__.py").write_text(edited)
    list(analyse(edited, str(package / "__init__.py"), Options(), ast.parse(edited)))
    assert built == ["views.py", "__init__.py", "__init__.py"]  # changed text: built again
    list(analyse(views, str(package / "views.py"), Options(), ast.parse(views)))
    assert built[3] == "views.py"  # a linted tree is not kept


def _bound_in_scopes(file: FlaskFile, keep: object) -> set[str]:
    """Names some scope binds with a binding ``keep(binding, name)`` accepts, read from ``locals``."""
    found = set()
    for scope in (file.module, *file.index.classes, *file.index.functions):
        for name, bindings in scope.locals.items():
            if any(keep(binding, name) for binding in bindings):  # type: ignore[operator]
                found.add(name)
    return found


def _alias_binding(binding: nodes.NodeNG) -> bool:
    parent = binding.parent
    return (
        isinstance(binding, nodes.AssignName)
        and isinstance(parent, (nodes.Assign, nodes.AnnAssign))
        and isinstance(parent.value, (nodes.Name, nodes.Attribute))
    )


def _renaming_binding(binding: nodes.NodeNG, name: str) -> bool:
    if isinstance(binding, nodes.Import):
        return any(alias == name and imported.rsplit(".", 1)[-1] != name for imported, alias in binding.names)
    if isinstance(binding, nodes.ImportFrom):
        return any(alias == name and imported != name for imported, alias in binding.names)
    return _alias_binding(binding)


def test_import_and_alias_names_match_what_the_scopes_bind() -> None:
    for path, module in MODULES:
        file = FlaskFile(module, str(path))
        bound = _bound_in_scopes(
            file, lambda b, _: isinstance(b, (nodes.Import, nodes.ImportFrom)) or _alias_binding(b)
        )
        # ``from __future__ import x`` binds nothing; listing it only costs a lookup.
        future = {
            alias or name
            for statement in file.index.imports
            if isinstance(statement, nodes.ImportFrom) and statement.modname == "__future__"
            for name, alias in statement.names
        }
        assert file.index.import_or_alias_names - future == bound - future, path
        assert file.index.renamed_names == _bound_in_scopes(file, _renaming_binding), path


def test_shortcut_check_script_agrees_on_the_fixtures() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "shortcut_check.py"), str(ROOT / "tests" / "fixtures")],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert result.stdout.rstrip().endswith(" 0 mismatches"), result.stdout[-500:]


def test_calls_to_holds_every_call_of_the_names_asked_for_in_source_order() -> None:
    checked = 0
    for path, module in MODULES:
        file = FlaskFile(module, str(path))
        order = {id(call): n for n, call in enumerate(file.index.calls)}
        for call in file.index.calls:
            qname = file.names.qualified_name(call.func)
            if qname is None:
                continue
            found = file.calls_to(frozenset({qname}))
            assert any(candidate is call for candidate in found), (path, call.as_string(), qname)
            ranks = [order[id(candidate)] for candidate in found]
            assert ranks == sorted(ranks), path
            checked += 1
    assert checked > 1_000


def test_calls_named_are_exactly_the_calls_of_those_last_names() -> None:
    from flake8_flask_safety.model.names import callee_name

    for path, module in MODULES:
        file = FlaskFile(module, str(path))
        words = {callee_name(call.func) for call in file.index.calls[::3]} - {""}
        expected = [call for call in file.index.calls if callee_name(call.func) in words]
        assert file.index.calls_named(words) == expected, path
        assert file.index.calls_named(()) == []


def test_calls_to_sees_through_renaming_imports() -> None:
    source = textwrap.dedent(
        """
        import flask as fl
        from flask import redirect as go
        from werkzeug import utils
        back = fl.redirect

        def view():
            go("/a")
            back("/b")
            fl.redirect("/c")
            utils.redirect("/d")
            other("/e")
            fl.render_template("x.html")
        """
    )
    file = FlaskFile.from_source(source, "views.py")
    redirects = frozenset({"flask.redirect", "werkzeug.utils.redirect"})
    found = [call.args[0].value for call in file.calls_to(redirects)]
    assert found[:4] == ["/a", "/b", "/c", "/d"] and "/e" not in found and "x.html" not in found
    also = [call.args[0].value for call in file.calls_to(redirects, also=frozenset({"render_template"}))]
    assert also[-1] == "x.html"
    assert [call.args[0].value for call in file.calls_of(redirects)] == ["/a", "/b", "/c", "/d"]


def test_a_linted_tree_is_freed_by_reference_counting_once_the_rules_are_done(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gc
    import weakref

    from flake8_flask_safety.model import flask_file
    from flake8_flask_safety.options import Options
    from flake8_flask_safety.plugin import analyse

    kept: list[weakref.ref[nodes.Module]] = []
    real_linted = flask_file.FlaskFile.linted.__func__  # type: ignore[attr-defined]

    def watching(cls: type, source: str, path: str, tree: ast.Module | None = None) -> FlaskFile:
        file = real_linted(cls, source, path, tree)
        kept.append(weakref.ref(file.module))
        return file

    monkeypatch.setattr(flask_file.FlaskFile, "linted", classmethod(watching))
    source = (ROOT / "examples" / "shop" / "views.py").read_text(encoding="utf-8")
    gc.disable()
    try:
        found = list(analyse(source, str(ROOT / "examples" / "shop" / "views.py"), Options(), ast.parse(source)))
        assert found and kept and kept[0]() is None  # freed without any garbage collection
    finally:
        gc.enable()


def test_a_tree_shared_with_the_project_cache_keeps_its_parents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flake8_flask_safety.model import flask_file
    from flake8_flask_safety.model.project import ProjectModules
    from flake8_flask_safety.options import Options
    from flake8_flask_safety.plugin import analyse

    package, init, views = _blueprint_package(tmp_path)
    project = ProjectModules()
    monkeypatch.setattr(flask_file, "PROJECT", project)
    list(analyse(views, str(package / "views.py"), Options(), ast.parse(views)))
    list(analyse(init, str(package / "__init__.py"), Options(), ast.parse(init)))  # reuses the cached tree
    cached = project.loaded(str(package / "__init__.py"))
    assert cached is not None
    assert all(node.parent is not None for node in cached.module.built_nodes[1:])
    assert cached.objects.global_kind("bp") == "blueprint"


def _built_with(kind: type, path: Path) -> tuple[int, list[nodes.NodeNG]]:
    """How many nodes the rebuilder ``kind`` recorded for the module at ``path``, and the module's
    nodes in pre-order without the module itself (which holds the records)."""
    from flake8_flask_safety.model import build

    source = path.read_text(encoding="utf-8")
    module = build._build(ast.parse(source), source, str(path), build._new_rebuilder(kind))
    walked = build._preorder(module)
    # The rebuilder records every node the walk meets, apart from the ones astroid makes
    # without its visitor (decorator lists, argument names), which are recorded apart.
    recorded = {id(node) for node in [*module.built_nodes, *module.unlisted_nodes]}
    assert all(id(node) in recorded for node in walked), path
    return len(module.built_nodes), walked[1:]


def _shape(value: object, position: dict[int, int]) -> object:
    """``value`` with every node replaced by its place in the pre-order, so two trees compare."""
    if isinstance(value, nodes.NodeNG):
        return ("node", type(value).__name__, position.get(id(value)))
    if isinstance(value, (list, tuple)):
        return [_shape(item, position) for item in value]
    if isinstance(value, dict):
        return {key: _shape(item, position) for key, item in value.items()}
    return value


def test_fast_visits_build_the_same_tree_as_astroids_own() -> None:
    from flake8_flask_safety.model import build

    assert build._fast_visits_agree()
    build._rebuilder()
    assert build._REBUILDER_CLASS is build._FastRebuilder
    compared = 0
    for path, _ in MODULES:
        plain_recorded, plain = _built_with(build._Rebuilder, path)
        fast_recorded, fast = _built_with(build._FastRebuilder, path)
        assert plain_recorded == fast_recorded, path
        assert len(plain) == len(fast), path
        plain_at = {id(node): n for n, node in enumerate(plain)}
        fast_at = {id(node): n for n, node in enumerate(fast)}
        for mine, theirs in zip(fast, plain):
            assert type(mine) is type(theirs), (path, theirs.lineno)
            assert _shape(vars(mine), fast_at) == _shape(vars(theirs), plain_at), (path, theirs.lineno)
            compared += 1
    assert compared > 50_000


def test_astroids_own_visits_are_used_when_the_fast_ones_disagree(monkeypatch: pytest.MonkeyPatch) -> None:
    from flake8_flask_safety.model import build

    monkeypatch.setattr(build, "_REBUILDER_CLASS", None)
    monkeypatch.setattr(build._FastRebuilder, "_fast_constant", lambda self, node, parent: None)
    assert not build._fast_visits_agree()
    assert type(build._rebuilder()) is build._Rebuilder
    file = FlaskFile.from_source("from flask import Flask\napp = Flask('x')\n", "app.py")
    assert file.index.calls[0].args[0].value == "x"


def test_a_reused_rebuilder_holds_nothing_of_the_file_it_built() -> None:
    from flake8_flask_safety.model import build

    first_source = "from flask import Flask\napp = Flask(__name__)\napp.run()\n"
    second_source = "import os\nx = os.getenv('X')\n"
    first = build.build_module(first_source, "first.py")
    idle = build._IDLE.rebuilder
    assert isinstance(idle, build._FastRebuilder)
    held = [idle.built, idle.unlisted, *idle.by_kind.values(), idle.scope_calls, idle.scope_attributes,
            idle.scope_compares, idle._import_from_nodes, idle._delayed_assattr, idle._global_names]
    assert not any(held) and not idle.scoped
    second = build.build_module(second_source, "second.py")
    assert build._IDLE.rebuilder is idle  # taken and given back
    assert {node.root() for node in second.built_nodes} == {second}
    assert [type(node).__name__ for node in first.body] == ["ImportFrom", "Assign", "Expr"]
    assert second.locals.keys() == {"os", "x"} and first.locals.keys() == {"Flask", "app"}


def test_a_build_during_another_gets_a_rebuilder_of_its_own() -> None:
    from flake8_flask_safety.model import build

    build.build_module("x = 1\n", "warm.py")
    taken = build._rebuilder()
    assert build._rebuilder() is not taken


def test_outer_names_are_looked_up_once_per_function_body_and_only_there() -> None:
    from flake8_flask_safety.model.names import _function_reading_outer_name

    source = textwrap.dedent(
        """
        from flask import request, g

        @route(request)
        def view(arg=request) -> request:
            first = request.args
            second = request.form
            g = 1
            inner = lambda: request
            listed = [request for _ in ()]

            def nested():
                return request

            return g

        class Views:
            def get(self):
                return request.method

            def own(self):
                return __class__

        if request:
            def guarded():
                return request
        """
    )
    file = FlaskFile.from_source(source, "views.py")
    by_line = {}
    for node in file.module.built_nodes:
        if isinstance(node, nodes.Name) and node.name in ("request", "g", "__class__"):
            by_line.setdefault(node.lineno, []).append(node)
    view = file.index.functions[0]
    assert _function_reading_outer_name(by_line[6][0]) is view
    assert _function_reading_outer_name(by_line[7][0]) is view
    for line in (4, 5, 9, 10, 13, 15, 22, 24, 26):  # decorator, default and annotation, lambda,
        for node in by_line[line]:  # listed, nested, bound in the function, __class__, under if
            assert _function_reading_outer_name(node) is None, (line, node.name)
    assert _function_reading_outer_name(by_line[19][0]).name == "get"
    plain = NameResolver(file.module)
    for nodes_on_line in by_line.values():
        for node in nodes_on_line:
            assert file.names.qualified_name(node) == plain.qualified_name(node), (node.lineno, node.name)
    assert file.names.qualified_name(by_line[7][0]) == "flask.request"
    assert file.names.qualified_name(by_line[15][0]) is None  # ``g = 1`` in the function


def _generator_flags(source: str, path: str) -> dict[tuple[str, int], bool]:
    """(name, first line) of every function in ``source`` -> CPython made it a generator."""
    flags = inspect.CO_GENERATOR | inspect.CO_ASYNC_GENERATOR
    found: dict[tuple[str, int], bool] = {}
    stack = [compile(source, path, "exec")]
    while stack:
        code = stack.pop()
        found[(code.co_name, code.co_firstlineno)] = bool(code.co_flags & flags)
        stack.extend(const for const in code.co_consts if isinstance(const, types.CodeType))
    return found


def test_is_generator_from_the_index_is_what_python_decides() -> None:
    source = textwrap.dedent(
        """
        def plain():
            return 1

        def gen():
            yield 1

        def delegates():
            yield from gen()

        def nested_only():
            def inner():
                yield 1
            return inner

        def lambda_only():
            return lambda: (yield)

        def in_class_body():
            class Inner:
                def method(self):
                    yield 1
            return Inner

        async def agen():
            yield 1

        def in_a_call():
            print((yield))

        def outer():
            @decorate((yield))
            def decorated(x=(yield)):
                return x
            return decorated
        """
    )
    inline = Path("inline.py")
    samples = [*MODULES, (inline, build_module(source, "inline.py"))]
    generators = 0
    for path, module in samples:
        text = source if path is inline else path.read_text(encoding="utf-8")
        flags = _generator_flags(text, str(path))
        file = FlaskFile(module, str(path))
        for function in file.index.functions:
            first = function.decorators.nodes[0].lineno if function.decorators else function.lineno
            expected = flags[(function.name, first)]
            assert file.index.is_generator(function) == expected, (path, function.name)
            generators += expected
    assert generators > 20
    names = {f.name: f for f in samples[-1][1].nodes_of_class(nodes.FunctionDef)}
    in_a_call = FlaskFile(samples[-1][1], "inline.py")
    assert in_a_call.index.is_generator(names["in_a_call"]) and not names["in_a_call"].is_generator()
    assert in_a_call.index.is_generator(names["outer"]) and not in_a_call.index.is_generator(names["decorated"])


def test_index_orders_nodes_without_a_position_first() -> None:
    from flake8_flask_safety.model.index import NodeIndex

    module = build_module("a()\nb()\nc(d())\n", "calls.py")
    calls = [node for node in module.built_nodes if isinstance(node, nodes.Call)]
    assert [call.func.name for call in NodeIndex(module).calls] == ["a", "b", "c", "d"]
    calls[2].lineno = None  # a node astroid made up, with no place in the source
    assert [call.func.name for call in NodeIndex(module).calls] == ["c", "a", "b", "d"]


def test_a_name_a_function_binds_for_the_module_is_looked_up_where_it_is_read() -> None:
    """``global saved`` then ``saved = ...`` in a function: astroid's answer for ``saved`` depends
    on where it is read, so the once-per-file answer for outer names is not used for it (the
    shape of ``logging.captureWarnings``)."""
    source = textwrap.dedent(
        """\
        import warnings

        saved = None


        def capture(flag):
            global saved
            if flag:
                if saved is None:
                    saved = warnings.showwarning
            else:
                if saved is not None:
                    warnings.showwarning = saved
                    saved = None


        def read():
            return saved
        """
    )
    file = FlaskFile.from_source(source, "capture.py")
    plain = NameResolver(file.module)
    names = [node for node in file.module.nodes_of_class(nodes.Name) if node.name == "saved"]
    assert len(names) == 4
    assert [file.names.qualified_name(node) for node in names] == [plain.qualified_name(node) for node in names]


def test_nodes_recorded_by_scope_are_those_a_walk_up_the_tree_finds() -> None:
    """``NodeIndex.directly_in`` reads what the rebuilder recorded for each function, lambda and
    class; a walk up from every node to its nearest enclosing one gives the same lists, in the
    same order (the order of the index's own list of that kind)."""
    from flake8_flask_safety.model.index import NodeIndex, _SCOPE_TYPES

    checked = 0
    for path, module in MODULES:
        assert module.nodes_by_scope is not None, path
        index = NodeIndex(module)
        scopes = [node for node in module.built_nodes if type(node) in _SCOPE_TYPES]
        for kind in ("calls", "attributes", "compares"):
            walked: dict[int, list[nodes.NodeNG]] = {}
            for node in getattr(index, kind):
                parent = node.parent
                while parent is not None and type(parent) not in _SCOPE_TYPES:
                    parent = parent.parent
                walked.setdefault(id(parent), []).append(node)
            for scope in scopes:
                assert index.directly_in(kind, scope) == walked.get(id(scope), []), (path, scope, kind)
                checked += len(walked.get(id(scope), []))
    assert checked > 8_000
