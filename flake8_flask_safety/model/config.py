"""Configuration writes: every way a Flask setting gets a value in code.

``app.debug = True``, ``app.secret_key = ...``, ``app.config["KEY"] = ...``,
``app.config.update(KEY=...)`` / ``from_mapping`` / ``setdefault`` (keywords or dicts), attributes
of config classes, UPPERCASE constants of config modules, and ``os.environ`` writes of
``FLASK_*`` variables all become one ``ConfigWrite`` each.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator, Literal, NamedTuple

from astroid import nodes

if TYPE_CHECKING:
    from .flask_file import FlaskFile

Via = Literal["attribute", "item", "call", "class", "module", "environ"]

# Attributes of the app object that mirror a config key.
APP_ATTRIBUTES = {"debug": "DEBUG", "secret_key": "SECRET_KEY", "testing": "TESTING"}
_CONFIG_METHODS = frozenset({"update", "from_mapping", "setdefault"})
_ENVIRON = frozenset({"os.environ"})
_ENVIRON_METHODS = frozenset({"update", "setdefault"})

# Settings that mark a class or module as a Flask configuration object.
FLASK_KEYS = frozenset(
    {
        "DEBUG", "TESTING", "SECRET_KEY", "SERVER_NAME", "APPLICATION_ROOT", "PREFERRED_URL_SCHEME",
        "MAX_CONTENT_LENGTH", "PERMANENT_SESSION_LIFETIME", "TEMPLATES_AUTO_RELOAD",
        "PROPAGATE_EXCEPTIONS", "TRAP_HTTP_EXCEPTIONS", "EXPLAIN_TEMPLATE_LOADING", "ENV",
        "SEND_FILE_MAX_AGE_DEFAULT", "USE_X_SENDFILE", "JSON_SORT_KEYS", "UPLOAD_FOLDER",
    }
)
_FLASK_KEY_PREFIXES = (
    "SESSION_", "SQLALCHEMY_", "MAIL_", "WTF_", "JWT_", "SECURITY_", "CACHE_", "BABEL_",
    "REMEMBER_COOKIE_", "LOGIN_", "FLASK_", "CELERY_", "RATELIMIT_", "CORS_", "DEBUG_TB_",
)
_CONFIG_NAME_TOKENS = frozenset({"config", "configuration", "configs", "settings", "conf", "cfg"})
_DJANGO_MARKERS = frozenset(
    {
        "INSTALLED_APPS", "MIDDLEWARE", "ROOT_URLCONF", "WSGI_APPLICATION", "ALLOWED_HOSTS",
        "DATABASES", "STATIC_URL", "DEFAULT_AUTO_FIELD", "AUTH_PASSWORD_VALIDATORS",
    }
)
_UPPER = re.compile(r"^[A-Z][A-Z0-9_]*$")
_TOKEN = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


class ConfigWrite(NamedTuple):
    key: str
    value: nodes.NodeNG
    anchor: nodes.NodeNG  # where a finding about this write is reported
    via: Via
    owner: str  # class name or module name holding the setting ("" for runtime writes)
    config_object: bool  # True when the owner is recognisably a Flask config class or module


def is_flask_key(key: str) -> bool:
    return key in FLASK_KEYS or key.startswith(_FLASK_KEY_PREFIXES)


def name_tokens(name: str) -> list[str]:
    """``DevelopmentConfig`` -> ["development", "config"]; ``config_local`` -> ["config", "local"]."""
    return [token.lower() for token in _TOKEN.findall(name)]


def extract_config_writes(file: FlaskFile) -> list[ConfigWrite]:
    writes: list[ConfigWrite] = []
    for assignment in file.index.assignments:
        writes.extend(_assignment_writes(file, assignment))
    for call in file.index.calls_named(_CONFIG_METHODS | _ENVIRON_METHODS):
        writes.extend(_call_writes(file, call))
    return writes


def _assignment_writes(file: FlaskFile, assignment: nodes.Assign | nodes.AnnAssign) -> Iterator[ConfigWrite]:
    if assignment.value is None:
        return
    targets = assignment.targets if isinstance(assignment, nodes.Assign) else [assignment.target]
    for target in targets:
        if isinstance(target, nodes.AssignName):
            yield from _constant_writes(file, assignment, target)
        elif isinstance(target, nodes.AssignAttr):
            key = APP_ATTRIBUTES.get(target.attrname)
            if key and file.looks_like_app(target.expr):
                yield ConfigWrite(key, assignment.value, target, "attribute", "", False)
        elif isinstance(target, nodes.Subscript):
            key = file.values.value(target.slice)
            if not isinstance(key, str):
                continue
            if _is_config_mapping(file, target.value):
                yield ConfigWrite(key, assignment.value, target, "item", "", False)
            elif file.names.is_one_of(target.value, _ENVIRON):
                yield ConfigWrite(key, assignment.value, target, "environ", "", False)


def _constant_writes(
    file: FlaskFile, assignment: nodes.Assign | nodes.AnnAssign, target: nodes.AssignName
) -> Iterator[ConfigWrite]:
    if not _UPPER.match(target.name):
        return
    holder = assignment.parent
    if isinstance(holder, nodes.ClassDef):
        yield ConfigWrite(
            target.name, assignment.value, target, "class", holder.name, file.is_config_class(holder)
        )
    elif isinstance(holder, nodes.Module):
        yield ConfigWrite(
            target.name, assignment.value, target, "module", file.config_owner_name, file.is_config_module
        )


def _call_writes(file: FlaskFile, call: nodes.Call) -> Iterator[ConfigWrite]:
    func = call.func
    if not isinstance(func, nodes.Attribute):
        return
    if func.attrname in _CONFIG_METHODS and _is_config_mapping(file, func.expr):
        via: Via = "call"
    elif func.attrname in _ENVIRON_METHODS and file.names.is_one_of(func.expr, _ENVIRON):
        via = "environ"
    else:
        return
    if func.attrname == "setdefault":
        if len(call.args) == 2:
            key = file.values.value(call.args[0])
            if isinstance(key, str):
                yield ConfigWrite(key, call.args[1], call.args[0], via, "", False)
        return
    for arg in call.args:
        items = file.values.mapping_items(arg)
        for key, (key_node, value) in (items or {}).items():
            yield ConfigWrite(key, value, key_node, via, "", False)
    for key, (anchor, value) in (file.values.keyword_items(call) or {}).items():
        yield ConfigWrite(key, value, anchor, via, "", False)


def _is_config_mapping(file: FlaskFile, node: nodes.NodeNG) -> bool:
    """``<app>.config``: an app's config, or any ``x.config`` in a file that uses Flask."""
    if not (isinstance(node, nodes.Attribute) and node.attrname == "config"):
        return False
    return file.uses_flask or file.objects.is_app(node.expr)


def is_config_class(file: FlaskFile, klass: nodes.ClassDef) -> bool:
    if _CONFIG_NAME_TOKENS.intersection(name_tokens(klass.name)):
        return True
    for base in klass.bases:
        base_name = base.as_string().rsplit(".", 1)[-1]
        if _CONFIG_NAME_TOKENS.intersection(name_tokens(base_name)) and base_name != "object":
            return True
    keys = [
        target.name
        for statement in klass.body
        if isinstance(statement, (nodes.Assign, nodes.AnnAssign))
        for target in (statement.targets if isinstance(statement, nodes.Assign) else [statement.target])
        if isinstance(target, nodes.AssignName)
    ]
    return sum(1 for key in keys if is_flask_key(key)) >= 2


def is_config_module(file: FlaskFile) -> bool:
    keys = set()
    for statement in file.module.body:
        if isinstance(statement, (nodes.Import, nodes.ImportFrom)):
            modname = statement.modname if isinstance(statement, nodes.ImportFrom) else statement.names[0][0]
            if modname.split(".")[0] == "django":
                return False
        if isinstance(statement, (nodes.Assign, nodes.AnnAssign)):
            targets = statement.targets if isinstance(statement, nodes.Assign) else [statement.target]
            keys.update(t.name for t in targets if isinstance(t, nodes.AssignName))
    if keys & _DJANGO_MARKERS:
        return False
    flask_keys = sum(1 for key in keys if is_flask_key(key))
    if _CONFIG_NAME_TOKENS.intersection(name_tokens(file.config_owner_name)):
        return flask_keys >= 1
    return flask_keys >= 3
