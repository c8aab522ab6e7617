"""The flake8 entry point ``FKS``.

flake8 calls ``FlaskSafetyChecker(tree, lines, filename).run()`` for every file, whether or not FKS
codes are selected. The flow is: source lines -> cheap text pre-check -> astroid module (built from
the lines, never from flake8's shared ``ast`` tree and never from disk) -> Flask model -> rule
families -> findings. astroid itself is imported only when a file passes the pre-check, so files
that have nothing to do with Flask or credentials cost a regular-expression scan.
"""

from __future__ import annotations

import ast
import functools
import re
import sys
import threading
from typing import Any, ClassVar, Iterator

from . import __version__
from .options import DEFAULT_SIGNING_KEYS, Options, from_flake8, register

DEFAULT_SIGNING_KEYS_SET = frozenset(DEFAULT_SIGNING_KEYS)

Result = tuple[int, int, str, type]

# A file can only produce findings if its text contains one of these. False hits only cost time.
_ALWAYS_RELEVANT = (
    r"(?i:flask|debug)|werkzeug|socketio|SECRET_KEY|_SALT|\.run\s*\("
    r"|://[^\s'\"/@]*:[^\s'\"@]*@"
    r"|AKIA|ASIA|gh[pousr]_|github_pat_|glpat-|xox[abposr]-|_live_|AIza|-----BEGIN|SG\.|npm_|pypi-|sk-"
)
_CREDENTIAL_WORDS = (
    "passw", "pwd", "pass\\b", "passphrase", "passcode", "secret", "token", "api_?key",
    "access_?key", "private_?key", "credential", "auth_?key", "signing_?key", "encryption_?key",
)
# A credential-like name followed by a string: ``x_password = "``, ``"token": "``, ``api_key="``,
# ``getenv("DB_PASSWORD", "``, ``getenv("TOKEN", default="``, ``getenv("TOKEN") or "``.
_NAMED_STRING = (
    r"(?i:{words})\w*['\"]?\s*(?::\s*[\w.\[\], ]+\s*)?(?:=|:|,|\)\s*or)\s*(?:\w+\s*=\s*)?[rRbBuUfF]{{0,2}}['\"]"
)


@functools.lru_cache(maxsize=8)
def _relevance(options: Options) -> re.Pattern[str]:
    words = list(_CREDENTIAL_WORDS) + [re.escape(w) for w in sorted(options.extra_credential_names)]
    extra_keys = sorted(options.signing_keys - DEFAULT_SIGNING_KEYS_SET)
    keys = "".join("|" + re.escape(k) for k in extra_keys)
    return re.compile(_ALWAYS_RELEVANT + keys + "|" + _NAMED_STRING.format(words="|".join(words)))


class FlaskSafetyChecker:
    name = "flake8-flask-safety"
    version = __version__
    options: ClassVar[Options] = Options()

    def __init__(self, tree: ast.AST, lines: list[str], filename: str) -> None:
        # ``tree`` is flake8's shared ast; it is accepted (flake8 needs the parameter to treat
        # this as a tree plugin) but never read or changed.
        self._lines = lines
        self._filename = filename

    @classmethod
    def add_options(cls, option_manager: Any) -> None:
        register(option_manager)

    @classmethod
    def parse_options(cls, parsed: Any) -> None:
        cls.options = from_flake8(parsed)

    def run(self) -> Iterator[Result]:
        source = "".join(self._lines)
        if not _relevance(self.options).search(source):
            return
        for line, column, message in analyse(source, self._filename, self.options):
            yield line, column, message, type(self)


# astroid builds and walks trees recursively, so an expression a few hundred levels deep (a long
# ``a + b + ...`` chain) exhausts the default recursion limit. Such files are analysed again in a
# thread whose stack is large enough for a recursion limit above anything ``ast.parse`` accepts.
_DEEP_RECURSION_LIMIT = 60_000
_DEEP_STACK_BYTES = 512 * 1024 * 1024


def analyse(source: str, filename: str, options: Options) -> Iterator[tuple[int, int, str]]:
    """Findings for one file as (line, column, "FKSnnn message"). Never raises."""
    try:
        findings = list(_analyse(source, filename, options))
    except RecursionError:
        findings = _analyse_deep(source, filename, options)
    yield from findings


def _analyse_deep(source: str, filename: str, options: Options) -> list[tuple[int, int, str]]:
    from .rules.internal import internal_failure

    outcome: list[tuple[int, int, str]] = []

    def work() -> None:
        try:
            outcome.extend(_analyse(source, filename, options))
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


def _analyse(source: str, filename: str, options: Options) -> Iterator[tuple[int, int, str]]:
    """Like ``analyse``, but a RecursionError (a tree too deep for the current limit) escapes."""
    from .rules.internal import internal_failure

    try:
        from .model import FlaskFile

        file = FlaskFile.from_source(source, filename)
    except SyntaxError:
        return  # flake8 reports E999 itself
    except RecursionError:
        raise
    except Exception as error:  # astroid wraps syntax errors in its own type
        if type(error).__name__ != "AstroidSyntaxError":
            yield 1, 0, internal_failure(error)
        return

    from .rules import families

    failed: BaseException | None = None
    seen: set[tuple[int, int, str]] = set()
    for _name, check in families():
        try:
            findings = list(check(file, options))
        except RecursionError:
            raise
        except Exception as error:  # one family's failure may not stop the others
            failed = failed or error
            continue
        for finding in findings:
            key = (finding.line, finding.column, finding.code)
            if key not in seen:
                seen.add(key)
                yield finding.line, finding.column, f"{finding.code} {finding.message}"
    if failed is not None:
        yield 1, 0, internal_failure(failed)
