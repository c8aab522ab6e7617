"""The flake8 entry point ``FKS``.

flake8 calls ``FlaskSafetyChecker(tree, lines, filename).run()`` for every file, whether or not FKS
codes are selected. The flow is: source lines -> cheap text pre-check -> astroid module (built from
the lines, never from flake8's shared ``ast`` tree and never from disk) -> Flask model -> rule
families -> findings. astroid itself is imported only when a file passes the pre-check, so files
that have nothing to do with Flask or credentials cost a regular-expression scan.
"""

from __future__ import annotations

import ast
import re
from typing import Any, ClassVar, Iterator

from . import __version__
from .options import Options, from_flake8, register

Result = tuple[int, int, str, type]

# A file can only produce findings if its text contains one of these. False hits only cost time.
_RELEVANT = re.compile(
    r"flask|werkzeug|socketio|SECRET_KEY|_SALT|DEBUG"
    r"|://[^\s'\"/@]*:[^\s'\"@]*@"
    r"|AKIA|ASIA|gh[pousr]_|github_pat_|glpat-|xox[abposr]-|_live_|AIza|-----BEGIN|SG\.|npm_|pypi-|sk-"
    r"|(?i:passw|pwd|secret|token|api_?key|access_?key|private_?key|credential|pass\b|auth_?key)"
    r"\w*['\"]?\s*(?::\s*[\w.\[\], ]+\s*)?(?:=|:|,)\s*[rRbBuUfF]{0,2}['\"]",
)


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
        if not _RELEVANT.search(source):
            return
        for line, column, message in analyse(source, self._filename, self.options):
            yield line, column, message, type(self)


def analyse(source: str, filename: str, options: Options) -> Iterator[tuple[int, int, str]]:
    """Findings for one file as (line, column, "FKSnnn message"). Never raises."""
    from .rules.internal import internal_failure

    try:
        from .model import FlaskFile

        file = FlaskFile.from_source(source, filename)
    except SyntaxError:
        return  # flake8 reports E999 itself
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
