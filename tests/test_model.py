"""The shared Flask model, asked directly: which names are Flask objects, apps, routes, values."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from astroid import nodes

from flake8_flask_safety.model import FlaskFile
from flake8_flask_safety.model.values import UNKNOWN


def model(source: str, path: str = "app.py") -> FlaskFile:
    return FlaskFile.from_source(textwrap.dedent(source), path)


def run_receivers(file: FlaskFile) -> dict[int, str | None]:
    return {
        call.lineno: file.objects.kind_of(call.func.expr)
        for call in file.index.calls
        if isinstance(call.func, nodes.Attribute) and call.func.attrname == "run"
    }


def test_qualified_names_follow_every_import_form() -> None:
    file = model(
        """
        import flask as fl
        from flask import request as req, Flask as WebApp
        from werkzeug.debug import DebuggedApplication as DA
        import markupsafe
        WebAlias = fl.Flask
        a = req
        b = fl.request
        c = WebApp
        d = DA
        e = markupsafe.Markup
        f = WebAlias
        """
    )
    values = {a.targets[0].name: file.names.qualified_name(a.value) for a in file.index.assignments}
    assert values == {
        "WebAlias": "flask.Flask",
        "a": "flask.request",
        "b": "flask.request",
        "c": "flask.Flask",
        "d": "werkzeug.debug.DebuggedApplication",
        "e": "markupsafe.Markup",
        "f": "flask.Flask",
    }


def test_star_import_and_shadowing() -> None:
    file = model(
        """
        from flask import *
        x = request
        def view(request):
            return request
        """
    )
    assignment = file.index.assignments[0]
    assert file.names.qualified_name(assignment.value) == "flask.request"
    returned = file.index.returns[0].value
    assert file.names.qualified_name(returned) is None


def test_apps_in_every_local_shape() -> None:
    file = model(
        """
        from flask import Flask, Blueprint

        class MyFlask(Flask):
            pass

        def create_app():
            app = Flask(__name__)
            return app

        def init_app(app):
            @app.route("/")
            def index():
                return "x"
            app.register_blueprint(bp)
            app.run()

        class Server:
            def __init__(self):
                self.app = create_app()
            def start(self):
                self.app.run()

        bp = Blueprint("bp", __name__)
        app = create_app()
        app.run()
        MyFlask(__name__).run()
        Flask(__name__).run()
        create_app().run()
        asyncio.run(main())
        bp.run()
        """
    )
    kinds = run_receivers(file)
    assert kinds == {
        16: "app",  # init_app parameter that blueprints are registered on
        22: "app",  # self.app
        26: "app",
        27: "app",
        28: "app",
        29: "app",
        30: None,  # asyncio is not Flask
        31: "blueprint",
    }


def test_app_imported_from_project_module(tmp_path: Path) -> None:
    package = tmp_path / "proj"
    package.mkdir()
    (package / "__init__.py").write_text(
        "from flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n"
    )
    (package / "factory_user.py").write_text("from . import create_app\napp = create_app()\napp.run()\n")
    (tmp_path / "wsgi.py").write_text("from proj import create_app\ncreate_app().run()\n")
    (tmp_path / "loop_a.py").write_text("from loop_b import app\napp.run()\n")
    (tmp_path / "loop_b.py").write_text("from loop_a import app\n")
    for name, line in (("proj/factory_user.py", 3), ("wsgi.py", 2)):
        path = tmp_path / name
        file = FlaskFile.from_source(path.read_text(), str(path))
        assert run_receivers(file) == {line: "app"}, name
    cycle = tmp_path / "loop_a.py"
    file = FlaskFile.from_source(cycle.read_text(), str(cycle))
    assert run_receivers(file) == {2: None}


def test_constant_values_and_options() -> None:
    file = model(
        """
        DEBUG = True
        HOST = "0.0.0." + "0"
        options = {"debug": DEBUG, **{"port": 5000}}
        changed = 1
        changed = 2
        def f(param):
            return (DEBUG, HOST, options, changed, param)
        """
    )
    values = file.index.returns[0].value.elts
    assert file.values.value(values[0]) is True
    assert file.values.value(values[1]) == "0.0.0.0"
    items = file.values.mapping_items(values[2])
    assert items is not None and set(items) == {"debug", "port"}
    assert file.values.value(items["debug"][1]) is True
    assert file.values.value(values[3]) is UNKNOWN
    assert file.values.value(values[4]) is UNKNOWN


def test_routes_in_every_registration_shape() -> None:
    file = model(
        """
        from flask import Flask, Blueprint
        from flask.views import MethodView

        FORM_METHODS = ["GET", "post"]
        app = Flask(__name__)
        bp = Blueprint("bp", __name__)

        @app.route("/a")
        def a():
            return ""

        @app.route("/b", methods=FORM_METHODS, endpoint="bee")
        @app.route("/b/<int:page>", methods=FORM_METHODS, defaults={"page": 1})
        def b(page=1):
            return ""

        @bp.post("/c")
        def c():
            return ""

        def d():
            return ""

        class Items(MethodView):
            def get(self):
                return ""

        app.add_url_rule("/d", "d", d, methods=["PUT"])
        bp.add_url_rule("/items", view_func=Items.as_view("items"))
        """
    )
    summary = [
        (r.rule, r.methods and sorted(r.methods), r.endpoint, r.view.name if r.view else None,
         sorted(r.defaults) if r.defaults else None)
        for r in file.routes
    ]
    assert summary == [
        ("/a", ["GET"], None, "a", None),
        ("/b", ["GET", "POST"], "bee", "b", None),
        ("/b/<int:page>", ["GET", "POST"], None, "b", ["page"]),
        ("/c", ["POST"], None, "c", None),
        ("/d", ["PUT"], "d", "d", None),
        ("/items", None, None, "Items", None),
    ]


def test_fastapi_routes_are_not_flask_routes() -> None:
    file = model(
        """
        from fastapi import FastAPI
        app = FastAPI()

        @app.get("/")
        def index():
            return {}
        """
    )
    assert file.routes == []


def test_config_writes_cover_every_path() -> None:
    file = model(
        """
        import os
        from flask import Flask
        app = Flask(__name__)
        app.debug = True
        app.config["SECRET_KEY"] = "a"
        app.config.update(DEBUG=True, **{"TESTING": False})
        app.config.from_mapping({"JWT_SECRET_KEY": "b"})
        app.config.setdefault("SESSION_COOKIE_SECURE", True)
        os.environ["FLASK_DEBUG"] = "1"

        class ProductionConfig:
            DEBUG = False
            SECRET_KEY: str = "c"
        """
    )
    writes = [(w.key, w.via, w.owner, w.config_object) for w in file.config_writes]
    assert writes == [
        ("DEBUG", "attribute", "", False),
        ("SECRET_KEY", "item", "", False),
        ("FLASK_DEBUG", "environ", "", False),
        ("DEBUG", "class", "ProductionConfig", True),
        ("SECRET_KEY", "class", "ProductionConfig", True),
        ("DEBUG", "call", "", False),
        ("TESTING", "call", "", False),
        ("JWT_SECRET_KEY", "call", "", False),
        ("SESSION_COOKIE_SECURE", "call", "", False),
    ]


def test_building_never_imports_star_modules_or_infers(tmp_path: Path) -> None:
    marker = tmp_path / "imported"
    (tmp_path / "sideeffect.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    source = "from sideeffect import *\nclass A:\n    def f(self):\n        self.x = sideeffect.y\n"
    FlaskFile.from_source(source, str(tmp_path / "user.py")).index
    assert not marker.exists()


def test_an_edited_neighbour_is_read_again(tmp_path: Path) -> None:
    """FKS604 reads the neighbours of a module to learn whether they add views to its app; what it
    learned is kept per process, and a neighbour changed on disk since is read again."""
    from flake8_flask_safety.options import Options
    from flake8_flask_safety.plugin import analyse

    core = tmp_path / "core.py"
    core.write_text(textwrap.dedent(
        """\
        from flask import Flask, url_for

        app = Flask(__name__)


        @app.route("/")
        def index():
            return url_for("report")
        """
    ))
    reports = tmp_path / "reports.py"
    reports.write_text("def report():\n    return 'report'\n")

    def codes() -> list[str]:
        return [message.split()[0] for _, _, message in analyse(core.read_text(), str(core), Options())]

    assert codes() == ["FKS604"]
    assert codes() == ["FKS604"]
    reports.write_text("from .core import app\n\n\n@app.route('/report')\ndef report():\n    return 'report'\n")
    assert codes() == []
    reports.write_text("def report():\n    return 'report'\n")
    assert codes() == ["FKS604"]


def test_neighbours_are_read_only_for_an_endpoint_the_module_does_not_define(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading the neighbours can only silence FKS604: a module whose url_for() endpoints are all
    its own views, or belong to blueprints it does not define, reads none of them."""
    from flake8_flask_safety.options import Options
    from flake8_flask_safety.plugin import analyse
    from flake8_flask_safety.rules import urls

    read: list[str] = []
    original = urls._imports_and_routes

    def counting(path: str, stem: str) -> bool:
        read.append(path)
        return original(path, stem)

    monkeypatch.setattr(urls, "_imports_and_routes", counting)
    (tmp_path / "reports.py").write_text("def report():\n    return 'report'\n")
    core = tmp_path / "core.py"
    core.write_text(textwrap.dedent(
        """\
        from flask import Blueprint, url_for

        bp = Blueprint("core", __name__)


        @bp.route("/")
        def index():
            return url_for("core.index") + url_for(".index") + url_for("admin.panel")
        """
    ))

    def codes() -> list[str]:
        return [message.split()[0] for _, _, message in analyse(core.read_text(), str(core), Options())]

    assert codes() == []
    assert read == []
    core.write_text(core.read_text().replace('url_for(".index")', 'url_for(".report")'))
    assert codes() == ["FKS604"]
    assert read == [str(tmp_path / "reports.py")]


def _package_with_a_blueprint(root: Path) -> tuple[Path, Path]:
    package = root / "shop"
    package.mkdir()
    init = package / "__init__.py"
    init.write_text('from flask import Blueprint\n\nbp = Blueprint("shop", __name__)\n\nfrom . import views\n')
    views = package / "views.py"
    views.write_text(textwrap.dedent(
        """\
        from flask import request

        from . import bp


        @bp.route("/basket")
        def basket():
            return request.form["item"]
        """
    ))
    return init, views


def _counting_builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from flake8_flask_safety.model import flask_file

    built: list[str] = []
    original = flask_file.build_module

    def counted(source: str, path: str, tree: object = None) -> object:
        built.append(Path(path).name)
        return original(source, path, tree)  # type: ignore[arg-type]

    monkeypatch.setattr(flask_file, "build_module", counted)
    return built


def test_a_linted_package_init_serves_the_modules_that_import_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``from . import bp``: the views module needs the package's ``__init__.py`` to know that ``bp``
    is a blueprint. When flake8 checked that ``__init__.py`` earlier in the process, its tree is
    used again instead of being built a second time, with the same findings."""
    from flake8_flask_safety.options import Options
    from flake8_flask_safety.plugin import analyse

    init, views = _package_with_a_blueprint(tmp_path)
    built = _counting_builds(monkeypatch)

    def findings(path: Path, text: str | None = None) -> list[tuple[int, str]]:
        source = path.read_text() if text is None else text
        return [(line, message.split()[0]) for line, _, message in analyse(source, str(path), Options())]

    assert findings(init) == []
    assert findings(views) == [(8, "FKS201")]
    assert built == ["__init__.py", "views.py"]

    # Changed on disk since it was checked: read and built again.
    init.write_text(init.read_text() + "\n# a comment\n")
    assert findings(views) == [(8, "FKS201")]
    assert built == ["__init__.py", "views.py", "views.py", "__init__.py"]


def test_a_linted_init_is_not_kept_when_its_text_is_not_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor sends an unsaved buffer through stdin under the file's name: importers must see the
    file on disk, so a text of another size is not kept for them."""
    from flake8_flask_safety.options import Options
    from flake8_flask_safety.plugin import analyse

    init, views = _package_with_a_blueprint(tmp_path)
    built = _counting_builds(monkeypatch)
    unsaved = init.read_text().replace('"shop"', '"shop_unsaved"')
    list(analyse(unsaved, str(init), Options()))
    list(analyse(views.read_text(), str(views), Options()))
    assert built == ["__init__.py", "views.py", "__init__.py"]


def test_scopes_of_a_built_tree_have_the_exact_classes_the_index_walks_compare() -> None:
    """The node index finds a node's scope by ``type(parent) in _SCOPE_TYPES``: no subclass of
    a function, lambda or class node may appear in a built tree."""
    from flake8_flask_safety.model.index import _SCOPE_TYPES, _SCOPES

    source = textwrap.dedent(
        """\
        import functools

        class A:
            key = lambda self: 1

            @functools.cache
            def method(self):
                class Inner:
                    pass
                return [lambda: x for x in range(3)]

        async def handler():
            def nested():
                return None
            return nested
        """
    )
    module = FlaskFile.from_source(source, "scopes.py").module
    scopes = [node for node in module.nodes_of_class(_SCOPES)]
    assert len(scopes) == 7
    assert {type(node) for node in scopes} <= _SCOPE_TYPES


def test_the_handlers_model_classifies_as_if_it_read_every_call() -> None:
    """``Handlers._classify`` gives ``_classify_call`` only the calls it can act on; on every
    fixture file the roles, offloads and copied contexts are those of reading every call."""
    from flake8_flask_safety.model import handlers

    class EveryCall(handlers.Handlers):
        def _classify(self) -> None:
            super()._classify()
            for call in self._file.index.calls:
                self._classify_call(call)

    fixtures = sorted((Path(__file__).parent / "fixtures").rglob("*.py"))
    assert len(fixtures) > 50
    compared = 0
    for path in fixtures:
        file = FlaskFile.from_source(path.read_text(encoding="utf-8"), str(path))
        filtered, every = handlers.Handlers(file), EveryCall(file)
        filtered._classify()
        every._classify()
        assert filtered._roles == every._roles, path
        assert filtered._offloads == every._offloads, path
        assert filtered._copied == every._copied, path
        compared += bool(every._roles or every._offloads)
    assert compared > 20


def test_state_changes_are_those_of_reading_every_call_of_the_function() -> None:
    """``state_changes`` hands ``_effect`` only the calls whose callee it can accept; on every
    function of every fixture file the effects are those of asking about every call."""
    from flake8_flask_safety.model import effects

    fixtures = sorted((Path(__file__).parent / "fixtures").rglob("*.py"))
    found = 0
    for path in fixtures:
        file = FlaskFile.from_source(path.read_text(encoding="utf-8"), str(path))
        for function in file.index.functions:
            every = [effects._effect(file, call) for call in file.index.calls_directly_in(function)]
            assert effects.state_changes(file, function) == [e for e in every if e is not None], path
            found += sum(e is not None for e in every)
    assert found > 50
