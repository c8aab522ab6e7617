"""The flake8 entry point ``FKS``.

flake8 calls ``FlaskSafetyChecker(tree, lines, filename).run()`` for every file, whether or not FKS
codes are selected. The flow is: source lines -> cheap text pre-check -> astroid module (built from
flake8's ``ast`` tree of those lines, which is read and never changed; never from disk) -> Flask
model -> rule families -> findings -> the tree and model released. astroid itself is imported
only when a file passes the pre-check, so files that have nothing to do with Flask or credentials
cost a regular-expression scan. Only codes flake8 will report are computed (``Options.off_codes``,
from flake8's own select/ignore decision): with none on, ``run`` returns at once.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import gc
import re
import sys
import threading
from typing import Any, ClassVar, Iterator

from . import __version__
from .options import DEFAULT_SIGNING_KEYS, Options, from_flake8, register
from .paths import is_test_path

DEFAULT_SIGNING_KEYS_SET = frozenset(DEFAULT_SIGNING_KEYS)

Result = tuple[int, int, str, type]

# The pre-check. A file can only produce findings if its text passes it; false hits only cost
# time, misses lose findings. It runs on every file flake8 checks, so it is built to be cheap:
# substring tests on the lower-cased text, then regular expressions searched one alternative at a
# time. Python's ``re`` finds a pattern that starts with literal text by scanning for that text,
# about 1 ns per character; an alternation, a leading ``\b``, look-behind or ``(?i:...)`` makes it
# try every alternative at every position instead (20 to 200 times slower: the old single
# case-insensitive pattern cost 3% of flake8's own time on the standard library). So each
# alternative below starts with literal text, and anything in front of it is a look-behind
# written after that text.
#
# 1. Words that tie a file to Flask or its ecosystem (lower-cased text).
_ECOSYSTEM_WORDS = ("flask", "werkzeug", "jinja", "markupsafe", "socketio")
# ... unless every mention names an extension whose objects no rule reads (``from flask_wtf import
# FlaskForm``, ``from flask_sqlalchemy import SQLAlchemy``, ``from werkzeug.security import
# generate_password_hash``): forms, models and extension modules. Such a file is treated like one
# that never names Flask, unless it may register something with Flask (``_may_register``): an app
# or blueprint imported from another module of the project is used through these.
# Extensions that provide views or run handlers (Flask-RESTful, Flask-Admin, Flask-AppBuilder,
# Flask-Classful, Flask-SocketIO) are not in the list, nor are unknown ones.
INERT_EXTENSIONS = (
    "assets", "babel", "babelplus", "bcrypt", "bootstrap", "cache", "caching", "ckeditor", "compress",
    "cors", "debugtoolbar", "httpauth", "humanize", "jwt_extended", "limiter", "login", "mail",
    "marshmallow", "migrate", "moment", "mongoengine", "mysqldb", "principal", "pymongo", "redis",
    "seasurf", "security", "session", "sqlalchemy", "sqlalchemy_lite", "sslify", "static_digest",
    "talisman", "uploads", "wtf",
)
_ACTIVE_MENTIONS = {
    "flask": r"flask(?![_-](?:" + "|".join(INERT_EXTENSIONS) + r")\b|form\b)",
    "werkzeug": r"werkzeug(?!\.security\b)",
}
# What a module that only names such extensions needs for any finding beyond parts 2 and 3:
# a decorator on an attribute (``@bp.route``, ``@login_manager.user_loader``) or a class named like
# a view (searched in the text), or a registration or handler method called by name, or settings
# an app takes (words of the lower-cased text). Each is one scan that starts with literal text.
_MAY_REGISTER_PATTERNS = (r"@\s*\w+\s*\.", r"class\s+\w+\s*\([^:]*(?:Resource|View|API|Api|Handler|RH)")
_MAY_REGISTER_WORDS = (
    "route", "url_rule", "as_view", "register", "error", "before_", "after_", "teardown_",
    "context_processor", "template_", "url_value", "url_defaults", "_loader", "_handler", "verify_",
    "get_password", "selector", "tokengetter", "config", "secret", "debug", "autoescape", ".run",
)

# 2. Case-sensitive text that can produce findings in a file that never names Flask: signing-key
# settings; ``DEBUG`` written as a setting (``DEBUG = ``, ``DEBUG=``, ``"DEBUG": ``,
# ``["DEBUG"] =``, ``DEBUG: bool = ``; not ``logging.DEBUG``, nor ``"DEBUG:root:message"`` in a
# log assertion); ``<app>.debug = ...`` on an app imported from another
# module of the project; ``.run(`` calls that FKS101-105 could report: with ``debug``, ``host``,
# ``port``, ``use_*`` or ``**`` arguments, or at module level (``runner.run(suite)`` inside a
# function is everywhere); the app-only methods listed here; URLs with a password; strings with
# the shape of a live credential.
_ALWAYS_RELEVANT = (
    r"SECRET_KEY|_SALT|register_blueprint|teardown_appcontext"
    r"|DEBUG(?<!\wDEBUG)(?:['\"]\]?\s*[=:](?!=)|\s*=(?!=)|\s*:\s|\s*:[\w.\[\], ]*=(?!=))"
    r"|wsgi_app|\.debug(?<!self\.debug)\s*=(?!=)"
    r"|\.run(?<!self\.run)\s*\([^()]*?(?:debug|host|port|use_|\*\*)"
    r"|\n(?!asyncio\.|subprocess\.)[A-Za-z_][\w.()]*\.run\s*\("
    r"|://[^\s'\"/@]*:[^\s'\"@]*@"
    r"|A(?:KIA|SIA|BIA|CCA|Iza)|g(?:h[pousr]_|ithub_pat_|lpat-)|xox[abposr]-|hooks\.slack\.com|_live_"
    r"|-----BEGIN|SG\.(?<!\wSG\.)|npm_|pypi-AgEI|sk-(?:proj|ant)-"
)
# 3. Outside test modules (where only FKS404, a credential's shape, reports secrets): a name that
# ends like a credential (``is_credential_name``: the last word, digits aside), followed by a
# string: ``x_password = "``, ``"token": "``, ``api_key="``, ``getenv("DB_PASSWORD", "``,
# ``getenv("TOKEN", default="``, ``getenv("TOKEN") or "`` (lower-cased text, so the words are
# lower case; ``dbPassword`` reads ``dbpassword``). ``token_type = "``, ``f(token, "`` and an
# empty string (``passwd=''``) cannot produce a finding and do not pass.
# Words that share their first letters are one pattern each, and ``<prefix>[_-]?key`` is found
# from its literal ``key`` with the prefix checked behind it: every pattern is one more scan of
# the whole text, and these merges cut the cost of the pre-check by about a third.
_KEY_PREFIXES = ("api", "access", "private", "auth", "signing", "encryption", "master")
_CREDENTIAL_WORDS = (
    "pass(?:word|wd|phrase|code|\\b)", "pwd", "secret(?:[_-]?key)?", "token", "credential",
    "key(?:" + "|".join(f"(?<={prefix}{sep}key)" for prefix in _KEY_PREFIXES for sep in ("", "_", "-")) + ")",
)
_NAMED_STRING = (
    r"(?:{word})[_\d]*(?:['\"]\s*,|['\"]?\s*(?::\s*[\w.\[\], ]+\s*)?(?:=|:|\)\s*or))"
    r"\s*(?:\w+\s*=\s*)?[rbuf]{{0,2}}(['\"])(?!\1(?!\1))"
)


def top_level_alternatives(pattern: str) -> list[str]:
    """``a|b(c|d)|[|]`` -> ``["a", "b(c|d)", "[|]"]``: the pattern split at its outermost ``|``."""
    parts: list[str] = []
    depth, start, index, in_class = 0, 0, 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern[index + 1:index + 2] == "^":
                index += 1
            if pattern[index + 1:index + 2] == "]":
                index += 1  # a ``]`` right after ``[`` or ``[^`` is a member, not the end
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:index])
            start = index + 1
        index += 1
    parts.append(pattern[start:])
    return parts


class _PreCheck:
    def __init__(self, options: Options) -> None:
        extra_keys = sorted(options.signing_keys - DEFAULT_SIGNING_KEYS_SET)
        cased = top_level_alternatives(_ALWAYS_RELEVANT) + [re.escape(k) for k in extra_keys]
        words = list(_CREDENTIAL_WORDS) + [re.escape(w.lower()) for w in sorted(options.extra_credential_names)]
        self._cased = tuple(re.compile(part) for part in cased)
        self._named = tuple(re.compile(_NAMED_STRING.format(word=word)) for word in words)

    def passes(self, source: str, path: str) -> bool:
        lowered = source.lower()
        mention = _ecosystem_mention(lowered)
        if mention == "active" or (mention == "inert" and _may_register(source, lowered)):
            return True
        if any(pattern.search(source) for pattern in self._cased):
            return True
        return not is_test_path(path) and any(pattern.search(lowered) for pattern in self._named)


@functools.lru_cache(maxsize=None)
def _compiled(pattern: str) -> re.Pattern[str]:
    """Patterns only Flask files need, compiled on first use (flake8 imports this module for every run)."""
    return re.compile(pattern)


def _may_register(source: str, lowered: str) -> bool:
    return any(word in lowered for word in _MAY_REGISTER_WORDS) or any(
        _compiled(pattern).search(source) for pattern in _MAY_REGISTER_PATTERNS
    )


def _ecosystem_mention(lowered: str) -> str | None:
    """"active" when the lower-cased text names Flask or its ecosystem, "inert" when every such
    mention names an extension in ``INERT_EXTENSIONS``, None when there is none."""
    found = None
    for word in _ECOSYSTEM_WORDS:
        if word in lowered:
            active = _ACTIVE_MENTIONS.get(word)
            if active is None or _compiled(active).search(lowered):
                return "active"
            found = "inert"
    return found


@functools.lru_cache(maxsize=8)
def _pre_check(options: Options) -> _PreCheck:
    return _PreCheck(options)


def is_relevant(source: str, options: Options, path: str = "") -> bool:
    """False when ``source`` (the text of the file at ``path``) cannot produce any finding, so
    astroid need not see it."""
    return _pre_check(options).passes(source, path)


class FlaskSafetyChecker:
    name = "flake8-flask-safety"
    version = __version__
    options: ClassVar[Options] = Options()

    def __init__(self, tree: ast.AST, lines: list[str], filename: str) -> None:
        # ``tree`` is flake8's ast of ``lines``, shared with every other plugin: astroid is built
        # from it without changing it (see ``model.build``), so the source is not parsed twice.
        self._tree = tree if isinstance(tree, ast.Module) else None
        self._lines = lines
        self._filename = filename

    @classmethod
    def add_options(cls, option_manager: Any) -> None:
        register(option_manager)

    @classmethod
    def parse_options(cls, parsed: Any) -> None:
        cls.options = from_flake8(parsed)

    def run(self) -> Iterator[Result]:
        if self.options.computes_nothing:
            return  # ``--select E,W``, ``--extend-ignore FKS``: nothing to read
        source = "".join(self._lines)
        if not is_relevant(source, self.options, self._filename):
            return
        with _garbage_collector_paused():
            findings = list(analyse(source, self._filename, self.options, self._tree))
        for line, column, message in findings:
            yield line, column, message, type(self)


@contextlib.contextmanager
def _garbage_collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while one file is analysed.

    An astroid tree is one big reference cycle (children point to parents) that lives exactly as
    long as the analysis of its file. With the collector running, every collection during the
    build walks the growing tree again and promotes it towards the oldest generation, whose full
    collections then walk it too: building a 20,000-line module took twice as long, and the cost
    per line grew with the size of the file. Paused, the tree is built and analysed untouched and
    freed by the first young collection after the file, which walks it once. The collector is
    switched back on however the analysis ends, and left alone if it was already off.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


_LOADED = False


def _load_once() -> None:
    """Import astroid, the model and every rule family, then freeze what is alive.

    The imports leave tens of thousands of objects (astroid's classes, functions and "brain"
    plugins, our modules) that live as long as the process. Python's cyclic garbage collector
    would walk all of them again at every full collection for the rest of the flake8 run: on the
    standard library subset of ``bench/run.py`` that cost more than the plugin's own work.
    ``gc.freeze()`` moves every object alive into a permanent generation that collections skip.
    It runs before the first astroid tree is built, so no tree is ever frozen; flake8's own
    objects alive at that moment are frozen too (reference counting still frees them; only cycles
    among them would stay). Files that never pass the pre-check never get here, so they import
    nothing.
    """
    global _LOADED
    if _LOADED:
        return
    from .model.build import prepare
    from .rules import families

    families()  # imports every family module
    _LOADED = True
    try:
        prepare()
    except Exception:  # building the file fails the same way and reports FKS000
        return
    gc.freeze()


# astroid builds and walks trees recursively, so an expression a few hundred levels deep (a long
# ``a + b + ...`` chain) exhausts the default recursion limit. Such files are analysed again in a
# thread whose stack is large enough for a recursion limit above anything ``ast.parse`` accepts.
_DEEP_RECURSION_LIMIT = 60_000
_DEEP_STACK_BYTES = 512 * 1024 * 1024


def analyse(
    source: str, filename: str, options: Options, tree: ast.Module | None = None
) -> Iterator[tuple[int, int, str]]:
    """Findings for one file as (line, column, "FKSnnn message"); ``tree``, when given, is
    ``source`` already parsed. Never raises."""
    try:
        findings = list(_analyse(source, filename, options, tree))
    except RecursionError:
        findings = _analyse_deep(source, filename, options, tree)
    yield from findings


def _analyse_deep(
    source: str, filename: str, options: Options, tree: ast.Module | None
) -> list[tuple[int, int, str]]:
    from .rules.internal import internal_failure

    outcome: list[tuple[int, int, str]] = []

    def work() -> None:
        try:
            outcome.extend(_analyse(source, filename, options, tree))
        except RecursionError as error:
            outcome[:] = [(1, 0, internal_failure(error))]

    old_limit, old_stack = sys.getrecursionlimit(), threading.stack_size()
    try:
        threading.stack_size(_DEEP_STACK_BYTES)
        worker = threading.Thread(target=work, name="flake8-flask-safety-deep")
    finally:
        threading.stack_size(old_stack)
    sys.setrecursionlimit(max(old_limit, _DEEP_RECURSION_LIMIT))
    try:
        worker.start()
        worker.join()
    finally:
        sys.setrecursionlimit(old_limit)
    return outcome


def _analyse(
    source: str, filename: str, options: Options, tree: ast.Module | None
) -> Iterator[tuple[int, int, str]]:
    """Like ``analyse``, but a RecursionError (a tree too deep for the current limit) escapes."""
    _load_once()
    from .model import FlaskFile
    from .rules import families
    from .rules.internal import internal_failure

    try:
        file = FlaskFile.linted(source, filename, tree)
    except (SyntaxError, ValueError):
        # Text Python cannot compile: syntax errors, NUL bytes (ValueError before 3.12), lone
        # surrogates (UnicodeEncodeError). flake8 reports these itself (E999, E902).
        return
    except RecursionError:
        raise
    except Exception as error:  # astroid wraps syntax errors in its own type
        if type(error).__name__ != "AstroidSyntaxError":
            yield 1, 0, internal_failure(error)
        return

    failed: BaseException | None = None
    seen: set[tuple[int, int, str]] = set()
    results: list[tuple[int, int, str]] = []
    try:
        for family in families():
            if not family.runs_under(options):
                continue
            try:
                findings = list(family.check(file, options))
            except RecursionError:
                raise
            except Exception as error:  # one family's failure may not stop the others
                failed = failed or error
                continue
            for finding in findings:
                key = (finding.line, finding.column, finding.code)
                if key not in seen:
                    seen.add(key)
                    results.append((finding.line, finding.column, f"{finding.code} {finding.message}"))
    finally:
        file.release()
    yield from results
    if failed is not None:
        yield 1, 0, internal_failure(failed)
