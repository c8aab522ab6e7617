"""FKS4xx: secrets in source.

A literal is reported under one code only, the most specific one:
FKS404 (shape of a live credential) > FKS403 (URL with a password) > FKS401 (Flask signing key)
> FKS406 (generated signing key) > FKS405 (environment fallback) > FKS402 (credential by name).
"""

from __future__ import annotations

from typing import Callable, Iterator

from astroid import nodes

from ..model import FlaskFile
from ..model.config import ConfigWrite, name_tokens
from ..options import Options
from . import Finding
from .credentials import (
    credential_shape,
    may_have_credential_shape,
    is_credential_name,
    looks_like_secret_value,
    url_with_password,
    words_of_credential_names,
)

MESSAGES = {
    "FKS401": "{key} written into the source: anyone who reads the code can sign sessions; "
    "load it from the environment",
    "FKS402": "credential hardcoded in {name!r}: load it from the environment or a secret store",
    "FKS403": "password inside a connection URL ({scheme}://{user}:***@...): read the URL from the environment",
    "FKS404": "string has the shape of a live {kind}: revoke it and load it from the environment",
    "FKS405": "hardcoded fallback for credential {var}: a missing variable silently runs production with this value",
    "FKS406": "{key} generated at start-up: every restart logs users out and each worker signs differently",
}
_PRIORITY = ("FKS404", "FKS403", "FKS401", "FKS406", "FKS405", "FKS402")

_ENV_GETTERS = frozenset({"os.environ.get", "os.getenv", "os.environ.setdefault"})
_GENERATORS = frozenset(
    {
        "os.urandom", "secrets.token_hex", "secrets.token_bytes", "secrets.token_urlsafe",
        "uuid.uuid4", "uuid.uuid1", "random.random", "random.getrandbits", "random.randbytes",
    }
)
_GENERATOR_WRAPPERS = frozenset({"str", "bytes", "binascii.hexlify", "base64.b64encode", "base64.urlsafe_b64encode"})
_TEST_MARKERS = frozenset({"test", "tests", "testing"})


class _Findings:
    """Keeps, per literal, the finding of the most specific code."""

    def __init__(self) -> None:
        self._by_node: dict[int, tuple[nodes.NodeNG, tuple[int, Finding]]] = {}

    def add(self, node: nodes.NodeNG, code: str, message: str) -> None:
        rank = _PRIORITY.index(code)
        current = self._by_node.get(id(node))
        if current is None or rank < current[1][0]:
            self._by_node[id(node)] = (node, (rank, Finding.at(node, code, message)))

    def sorted(self, keep: Callable[[str, nodes.NodeNG], bool]) -> list[Finding]:
        kept = (f for node, (_, f) in self._by_node.values() if keep(f.code, node))
        return sorted(kept, key=lambda f: (f.line, f.column, f.code))


def check(file: FlaskFile, options: Options) -> Iterator[Finding]:
    found = _Findings()
    _live_credentials(file, found)
    if not file.is_test_module:
        _urls_with_passwords(file, found)
        _signing_keys(file, options, found)
        if _may_name_credentials(file, options):
            _environment_fallbacks(file, options, found)
            _credential_names(file, options, found)
    yield from found.sorted(
        keep=lambda code, node: code == "FKS404"
        or not (_in_testing_config(file, node) or file.in_test_data(node))
    )


def _may_name_credentials(file: FlaskFile, options: Options) -> bool:
    """False when no name in the file can be a credential's (FKS402, FKS405): the names these
    rules read (targets, keys, keywords, parameters, environment variables, and the constants of
    the file that give them) are written in its text, and each contains a credential word. Most
    Flask modules contain none, and then their literals need not be gathered."""
    lowered = file.module.source_text.lower()  # type: ignore[attr-defined]
    words = words_of_credential_names(options.extra_credential_names, options.signing_keys)
    return any(word in lowered for word in words)


# -- FKS404 -------------------------------------------------------------------------------
def _live_credentials(file: FlaskFile, found: _Findings) -> None:
    literals = _literal_texts(file)
    if not may_have_credential_shape("\n".join(text for _, text in literals)):
        return  # one search of all the file's strings instead of one per string
    for node, text in literals:
        kind = credential_shape(text)
        if kind == "private key" and file.is_test_module:
            continue  # key pairs for crypto tests are generated for the suite, not leaked
        if kind:
            found.add(node, "FKS404", MESSAGES["FKS404"].format(kind=kind))


# -- FKS403 -------------------------------------------------------------------------------
def _urls_with_passwords(file: FlaskFile, found: _Findings) -> None:
    literals = _literal_texts(file)
    if not any("://" in text for _, text in literals):
        return
    for node, text in literals:
        if _is_docstring(node):
            continue
        match = url_with_password(text)
        if match:
            scheme, user = match
            found.add(node, "FKS403", MESSAGES["FKS403"].format(scheme=scheme, user=user))


# -- FKS401, FKS406 -----------------------------------------------------------------------
def _signing_keys(file: FlaskFile, options: Options, found: _Findings) -> None:
    for write in file.config_writes:
        if write.key not in options.signing_keys or _testing_owner(write):
            continue
        origin = file.values.origin(write.value)
        if _is_nonempty_literal(origin):
            found.add(origin, "FKS401", MESSAGES["FKS401"].format(key=write.key))
        elif origin is not None:
            generated = _generated_value(file, origin)
            if generated is not None:
                found.add(generated, "FKS406", MESSAGES["FKS406"].format(key=write.key))


def _testing_owner(write: ConfigWrite) -> bool:
    return bool(_TEST_MARKERS.intersection(name_tokens(write.owner)))


def _in_testing_config(file: FlaskFile, node: nodes.NodeNG) -> bool:
    """``node`` sits in the body of a config class named for testing (``TestingConfig``).

    Such a class is loaded by the test suite only; its throwaway key, database URL and passwords
    are not production secrets, so only FKS404 (a live credential's shape) is reported there.
    """
    parent = node.parent
    while parent is not None and not isinstance(parent, (nodes.ClassDef, nodes.FunctionDef, nodes.Module)):
        parent = parent.parent
    return (
        isinstance(parent, nodes.ClassDef)
        and bool(_TEST_MARKERS.intersection(name_tokens(parent.name)))
        and file.is_config_class(parent)
    )


def _generated_value(file: FlaskFile, node: nodes.NodeNG, depth: int = 0) -> nodes.NodeNG | None:
    """The random-generating call inside a signing key's value, if the value is generated."""
    if depth > 4 or node is None:
        return None
    if isinstance(node, nodes.Attribute):  # uuid4().hex
        return _generated_value(file, node.expr, depth + 1)
    if isinstance(node, nodes.BoolOp):  # os.getenv("SECRET_KEY") or os.urandom(24)
        for value in node.values[1:]:
            generated = _generated_value(file, value, depth + 1)
            if generated is not None:
                return generated
        return None
    if not isinstance(node, nodes.Call):
        return None
    qname = file.names.qualified_name(node.func)
    if qname in _GENERATORS:
        return node
    if qname in _ENV_GETTERS and len(node.args) >= 2:
        return _generated_value(file, node.args[1], depth + 1)
    if qname in _GENERATOR_WRAPPERS or (isinstance(node.func, nodes.Name) and node.func.name in ("str", "bytes")):
        return _generated_value(file, node.args[0], depth + 1) if node.args else None
    if isinstance(node.func, nodes.Attribute) and node.func.attrname in ("hex", "decode", "encode"):
        return _generated_value(file, node.func.expr, depth + 1)
    return None


# -- FKS405 -------------------------------------------------------------------------------
def _environment_fallbacks(file: FlaskFile, options: Options, found: _Findings) -> None:
    for call in file.calls_to(_ENV_GETTERS):
        lookup = _environment_lookup(file, call, options)
        if lookup is None:
            continue
        variable, fallback = lookup
        if fallback is None:
            fallback = _or_fallback(call)
        origin = file.values.origin(fallback)
        if _is_nonempty_literal(origin):
            found.add(origin, "FKS405", MESSAGES["FKS405"].format(var=variable))


def _environment_lookup(
    file: FlaskFile, call: nodes.Call, options: Options
) -> tuple[str, nodes.NodeNG | None] | None:
    """(variable, fallback) of an environment lookup of a credential's variable."""
    if not call.args:
        return None
    variable = file.values.value(call.args[0])
    # ``request.args.get("page")`` is a candidate too: its key rules it out before its callee
    # is resolved.
    if not isinstance(variable, str) or not _names_credential(variable, options):
        return None
    if not file.names.is_one_of(call.func, _ENV_GETTERS):
        return None
    fallback = call.args[1] if len(call.args) > 1 else None
    for keyword in call.keywords or ():
        if keyword.arg in ("default", "value"):
            fallback = keyword.value
    return variable, fallback


def _or_fallback(call: nodes.Call) -> nodes.NodeNG | None:
    """``os.getenv("X") or "fallback"``: the last operand of the ``or`` the lookup starts."""
    parent = call.parent
    if isinstance(parent, nodes.BoolOp) and parent.op == "or" and parent.values[0] is call:
        return parent.values[-1]
    return None


def _names_credential(variable: str, options: Options) -> bool:
    return variable.upper() in options.signing_keys or is_credential_name(
        variable, options.extra_credential_names
    )


# -- FKS402 -------------------------------------------------------------------------------
def _credential_names(file: FlaskFile, options: Options, found: _Findings) -> None:
    extra = options.extra_credential_names
    for name, literal in _named_literals(file):
        if not is_credential_name(name, extra):
            continue
        text = _literal_text(literal)
        if looks_like_secret_value(text, name):
            found.add(literal, "FKS402", MESSAGES["FKS402"].format(name=name))


def _named_literals(file: FlaskFile) -> Iterator[tuple[str, nodes.Const]]:
    """(name, literal) pairs: assignments, dict items, keyword arguments, parameter defaults."""
    for assignment in file.index.assignments:
        value = assignment.value
        if not _is_nonempty_literal(value):
            continue
        targets = assignment.targets if isinstance(assignment, nodes.Assign) else [assignment.target]
        for target in targets:
            name = _target_name(file, target)
            if name:
                yield name, value
    for call in file.index.calls:
        for keyword in call.keywords or ():
            if keyword.arg and _is_nonempty_literal(keyword.value):
                yield keyword.arg, keyword.value
    # Per dict, judged once: {id(value): key} of its string keys, or None for a lookup table.
    keys_of_values: dict[int, dict[int, str] | None] = {}
    for literal in file.index.strings:
        parent = literal.parent
        if isinstance(parent, nodes.Dict) and _is_nonempty_literal(literal):
            if id(parent) not in keys_of_values:
                keys = {
                    id(value): key.value
                    for key, value in parent.items
                    if isinstance(key, nodes.Const) and isinstance(key.value, str)
                }
                keys_of_values[id(parent)] = None if _lookup_table(keys.values()) else keys
            key_name = (keys_of_values[id(parent)] or {}).get(id(literal))
            if key_name:
                yield key_name, literal
        elif isinstance(parent, nodes.Arguments):
            name = _parameter_for_default(parent, literal)
            if name and _is_nonempty_literal(literal):
                yield name, literal


_IDENTITY_KEYS = frozenset(
    {"user", "username", "login", "email", "host", "hostname", "url", "uri", "dsn", "server", "port",
     "account", "client", "id", "database", "db", "auth", "endpoint", "region", "bucket"}
)


def _lookup_table(keys: object) -> bool:
    """A dict of three or more entries none of which names an identity or a credential's peer.

    ``{"free": "f_num", "secret": "s_num", "grad": "g_num"}`` maps categories; a credential
    dict names who or where it authenticates (``{"user": ..., "password": ...}``).
    """
    names = list(keys)  # type: ignore[call-overload]
    if len(names) < 3:
        return False
    if sum(1 for key in names if is_credential_name(key)) > 1:
        return False
    return not any(_IDENTITY_KEYS.intersection(name_tokens(key)) for key in names)


def _target_name(file: FlaskFile, target: nodes.NodeNG) -> str | None:
    if isinstance(target, nodes.AssignName):
        return target.name
    if isinstance(target, nodes.AssignAttr):
        return target.attrname
    if isinstance(target, nodes.Subscript):
        key = file.values.value(target.slice)
        return key if isinstance(key, str) else None
    return None


def _parameter_for_default(arguments: nodes.Arguments, default: nodes.NodeNG) -> str | None:
    positional = (arguments.posonlyargs or []) + (arguments.args or [])
    defaults = arguments.defaults or []
    offset = len(positional) - len(defaults)
    for index, value in enumerate(defaults):
        if value is default and 0 <= offset + index < len(positional):
            return positional[offset + index].name
    for param, value in zip(arguments.kwonlyargs or [], arguments.kw_defaults or []):
        if value is default:
            return param.name
    return None


# -- literals ---------------------------------------------------------------------------
def _string_literals(file: FlaskFile) -> Iterator[nodes.NodeNG]:
    for literal in file.index.strings:
        if not isinstance(literal.parent, nodes.JoinedStr):  # f-string parts: judged whole below
            yield literal
    yield from file.index.joined_strings


def _literal_texts(file: FlaskFile) -> list[tuple[nodes.NodeNG, str]]:
    """Every string literal of the file with its text, in source order (computed once)."""
    return file.index.memo(
        "secrets.literal_texts", lambda: [(node, _literal_text(node)) for node in _string_literals(file)]
    )


def _literal_text(node: nodes.NodeNG) -> str:
    """Text of a literal; an f-string's replacement fields become ``{}`` placeholders."""
    if isinstance(node, nodes.JoinedStr):
        return "".join(
            part.value if isinstance(part, nodes.Const) and isinstance(part.value, str) else "{}"
            for part in node.values
        )
    value = node.value  # type: ignore[attr-defined]
    return value.decode("latin-1") if isinstance(value, bytes) else value


def _is_nonempty_literal(node: nodes.NodeNG | None) -> bool:
    return (
        isinstance(node, nodes.Const)
        and isinstance(node.value, (str, bytes))
        and bool(node.value.strip())
    )


def _is_docstring(node: nodes.NodeNG) -> bool:
    return isinstance(node.parent, nodes.Expr)
