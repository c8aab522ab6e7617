"""Code that changes stored state: database writes, saved objects, flashed messages.

Recognised without inference, by the shapes database code takes in Flask projects:

- a database session's ``add``/``add_all``/``delete``/``merge`` (``db.session.add(x)``,
  ``session.add(x)`` where ``session`` is not Flask's cookie session, ``db_session.delete(x)``);
- ``commit()`` on such a session or on a connection;
- ``execute(...)`` of SQL that starts with INSERT, UPDATE, DELETE, REPLACE (also inside ``text()``);
- ORM bulk writes: ``.delete()``/``.update(...)`` on a query (``Model.query.filter_by(...).delete()``);
- ``.save()`` with no arguments (an ORM object saving itself) — counted by FKS601 only;
- ``flash(...)`` — counted by FKS601 only, as the sign that a submission succeeded.

Flask's ``session`` is a signed cookie, not a database: ``session["x"] = ...`` writes nothing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from astroid import nodes

if TYPE_CHECKING:
    from .flask_file import FlaskFile

_SESSION_WRITES = frozenset({"add", "add_all", "delete", "merge", "bulk_save_objects", "bulk_insert_mappings"})
_SQL_WRITE = re.compile(r"\s*(?:INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
_FLASK_SESSION = "flask.session"
_FLASH = "flask.flash"
_FLASH_NAMES = frozenset({_FLASH})
_CONNECTION_NAMES = re.compile(r"^(db|conn|connection|con|cnx|database)$")


class Effect(NamedTuple):
    node: nodes.Call
    kind: str  # "session", "commit", "sql", "bulk", "save", "flash"
    label: str  # the description, or what follows the receiver's text in it
    receiver: nodes.NodeNG | None = None

    @property
    def description(self) -> str:
        """``db.session.add()``, ``UPDATE statement``: written out only for a finding."""
        return self.label if self.receiver is None else _text(self.receiver) + self.label


DATABASE_KINDS = frozenset({"session", "sql", "bulk"})


# The last names of the callees ``_effect`` can accept, apart from the names of ``flask.flash``.
_EFFECT_METHODS = _SESSION_WRITES | {"commit", "execute", "executemany", "executescript", "delete", "update", "save"}


def state_changes(file: FlaskFile, function: nodes.FunctionDef) -> list[Effect]:
    """State-changing calls in ``function`` itself (not in nested functions), in source order."""
    words = file.index.memo("effect_words", lambda: file.names.callee_words(_FLASH_NAMES) | _EFFECT_METHODS)
    found = []
    for call in file.index.calls_directly_in(function):
        func = call.func  # ``callee_name``, inline: every call of every view comes here
        kind = type(func)
        if (func.attrname if kind is nodes.Attribute else func.name if kind is nodes.Name else "") not in words:
            continue
        effect = _effect(file, call)
        if effect is not None:
            found.append(effect)
    return found


def _effect(file: FlaskFile, call: nodes.Call) -> Effect | None:
    func = call.func
    if not isinstance(func, nodes.Attribute):
        if file.names.refers_to(func, _FLASH):
            return Effect(call, "flash", "flash()")
        return None
    name = func.attrname
    receiver = func.expr
    # ``session.delete()`` with no object is not SQLAlchemy's; ``add`` always takes one.
    if name in _SESSION_WRITES and call.args and _is_database_session(file, receiver):
        return Effect(call, "session", f".{name}()", receiver)
    if name == "commit" and not call.args and (
        _is_database_session(file, receiver) or _is_connection(receiver)
    ):
        return Effect(call, "commit", ".commit()", receiver)
    if name in ("execute", "executemany", "executescript") and call.args:
        sql = _sql_text(file, call.args[0])
        if sql is not None and _SQL_WRITE.match(sql):
            return Effect(call, "sql", f"{sql.split()[0].upper()} statement")
    if name in ("delete", "update") and _is_query(receiver):
        return Effect(call, "bulk", f"query.{name}()")
    if name == "save" and not call.args and not call.keywords:
        return Effect(call, "save", ".save()", receiver)
    if name == "flash" and file.names.refers_to(func, _FLASH):
        return Effect(call, "flash", "flash()")
    return None


def _is_database_session(file: FlaskFile, node: nodes.NodeNG) -> bool:
    if isinstance(node, nodes.Attribute):
        # db.session, self.session, g.db_session
        return node.attrname in ("session", "db_session") or node.attrname.endswith("_session")
    if isinstance(node, nodes.Name):
        if node.name not in ("session", "db_session", "dbsession") and not node.name.endswith("_session"):
            return False
        return not file.names.refers_to(node, _FLASK_SESSION) and not _is_flask_session_alias(file, node)
    if isinstance(node, nodes.Call):
        # db.session() in scoped-session style, get_session()
        callee = node.func
        callee_name = callee.attrname if isinstance(callee, nodes.Attribute) else getattr(callee, "name", "")
        return callee_name in ("session", "get_session", "Session", "get_db_session")
    return False


def _is_flask_session_alias(file: FlaskFile, node: nodes.Name) -> bool:
    qname = file.names.qualified_name(node)
    return qname is not None and qname.startswith("flask")


def _is_connection(node: nodes.NodeNG) -> bool:
    if isinstance(node, nodes.Name):
        return bool(_CONNECTION_NAMES.match(node.name))
    if isinstance(node, nodes.Call):
        callee = node.func
        callee_name = callee.attrname if isinstance(callee, nodes.Attribute) else getattr(callee, "name", "")
        return callee_name in ("get_db", "get_connection", "get_db_connection", "connect")
    if isinstance(node, nodes.Attribute):
        return node.attrname in ("db", "conn", "connection")
    return False


def _is_query(node: nodes.NodeNG) -> bool:
    """A SQLAlchemy query chain: ``X.query...``, ``session.query(X)...``, ``...filter(...)``."""
    depth = 0
    while depth < 12:
        depth += 1
        if isinstance(node, nodes.Call):
            func = node.func
            if isinstance(func, nodes.Attribute):
                if func.attrname in ("query", "filter", "filter_by"):
                    return True
                node = func.expr
                continue
            return False
        if isinstance(node, nodes.Attribute):
            if node.attrname == "query":
                return True
            node = node.expr
            continue
        return False
    return False


def _sql_text(file: FlaskFile, node: nodes.NodeNG) -> str | None:
    if isinstance(node, nodes.Call) and node.args:
        func = node.func
        if (isinstance(func, nodes.Name) and func.name == "text") or (
            isinstance(func, nodes.Attribute) and func.attrname == "text"
        ):
            node = node.args[0]
    if isinstance(node, nodes.JoinedStr):
        first = node.values[0] if node.values else None
        return first.value if isinstance(first, nodes.Const) and isinstance(first.value, str) else None
    if isinstance(node, nodes.BinOp):
        node = node.left  # "UPDATE ... " + x, "DELETE ... %s" % x
    value = file.values.value(node)
    return value if isinstance(value, str) else None


def _text(node: nodes.NodeNG) -> str:
    text = node.as_string()
    return text if len(text) <= 40 else text[:37] + "..."
