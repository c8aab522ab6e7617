"""Jinja templates that a view renders: where Flask finds them and which variables they print raw.

Template files are looked up the way Flask looks them up, as far as one file can tell: the
``template_folder`` of an app or blueprint created in the linted module (relative to that
module), then ``templates/`` beside the module and in the packages above it. Only files inside
the linted project (the working directory, or the module's own directory when it lies outside)
are read; absolute names and ``..`` are refused, files are size-capped, and ``{% extends %}`` /
``{% include %}`` are followed a bounded number of steps, cycles included.

The scanner is this module's own (Jinja2 is never imported, so results do not depend on it being
installed). It reports the variables printed with ``|safe`` or inside ``{% autoescape false %}``;
a template it cannot make sense of (unbalanced tags, unterminated expressions) yields nothing.
"""

from __future__ import annotations

import os
import re
from typing import Iterator

from ..paths import real_path
from .file_cache import FileCache

MAX_TEMPLATE_BYTES = 512_000
MAX_TEMPLATES_FOLLOWED = 24
_PARENT_LEVELS = 4
_CACHE_SIZE = 256

_RAW_END = re.compile(r"\{%[-+]?\s*endraw\s*[-+]?%\}")
_HEAD = re.compile(r"^\s*([A-Za-z_]\w*)")
_PATH = re.compile(r"^\s*[A-Za-z_]\w*(?:\s*\.\s*\w+|\s*\[[^\[\]|]*\])*\s*$")
_FILTER = re.compile(r"^\s*([A-Za-z_]\w*)")
_REFERENCE = re.compile(r"^\s*(?:extends|include)\s+(['\"])([^'\"]+)\1")
_FOR = re.compile(r"^\s*for\s+([A-Za-z_]\w*)(?:\s*,\s*([A-Za-z_]\w*))?\s+in\s+([A-Za-z_]\w*)")
_SET = re.compile(r"^\s*set\s+([A-Za-z_]\w*)\s*=\s*([A-Za-z_]\w*)\s*$")
_AUTOESCAPE = re.compile(r"^\s*autoescape\s+(\w+)\s*$")
# Filters that make a value safe to print before a later |safe, or turn it into a number/JSON.
_ESCAPING_FILTERS = frozenset(
    {"e", "escape", "forceescape", "striptags", "urlencode", "int", "float", "length", "count",
     "tojson", "wordcount", "filesizeformat", "urlize"}
)
_BLOCK_TAGS = frozenset(
    {"block", "if", "for", "macro", "call", "filter", "with", "autoescape", "raw", "trans"}
)


class TemplateFacts:
    """What one template prints raw, and the templates it pulls in."""

    __slots__ = ("raw_variables", "references")

    def __init__(self) -> None:
        self.raw_variables: set[str] = set()
        self.references: list[str] = []


def scan(text: str) -> TemplateFacts | None:
    """Raw-printed variables and references of a template's source; None if it is not valid Jinja."""
    facts = TemplateFacts()
    stack: list[str] = []
    autoescape_off: list[bool] = []
    aliases: dict[str, str] = {}
    for kind, body in _tokens(text):
        if kind is None:
            return None
        if kind == "{{":
            name = _raw_printed(_strip_whitespace_control(body), any(autoescape_off))
            if name is not None:
                facts.raw_variables.add(aliases.get(name, name))
        elif kind == "{%":
            if not _statement(_strip_whitespace_control(body), stack, autoescape_off, aliases, facts):
                return None
    return None if stack else facts


_CLOSERS = {"{{": "}}", "{%": "%}", "{#": "#}"}


def _tokens(text: str) -> Iterator[tuple[str | None, str]]:
    """``("{{", body)`` and ``("{%", body)`` in order, skipping comments and raw blocks; one
    ``(None, "")`` for an opener that never closes. Each character is looked at a bounded number
    of times (``str.find`` only moves forward), so hostile input costs linear time."""
    position = 0
    while True:
        start = text.find("{", position)
        if start < 0 or start + 1 >= len(text):
            return
        opener = text[start:start + 2]
        if opener not in _CLOSERS:
            position = start + 1
            continue
        end = text.find(_CLOSERS[opener], start + 2)
        if end < 0:
            yield None, ""
            return
        body = text[start + 2:end]
        position = end + 2
        if opener == "{%" and _is_raw(body):
            raw_end = _RAW_END.search(text, position)
            if raw_end is None:
                yield None, ""
                return
            position = raw_end.end()
            continue
        if opener != "{#":
            yield opener, body


def _is_raw(body: str) -> bool:
    return _strip_whitespace_control(body) == "raw"


def _strip_whitespace_control(body: str) -> str:
    body = body.strip()
    if body.startswith(("-", "+")):
        body = body[1:]
    if body.endswith(("-", "+")):
        body = body[:-1]
    return body.strip()


def _statement(
    body: str, stack: list[str], autoescape_off: list[bool], aliases: dict[str, str], facts: TemplateFacts
) -> bool:
    word_match = _HEAD.match(body)
    if word_match is None:
        return False
    word = word_match.group(1)
    if word in _BLOCK_TAGS:
        if word == "autoescape":
            mode = _AUTOESCAPE.match(body)
            autoescape_off.append(bool(mode) and mode.group(1).lower() == "false")  # type: ignore[union-attr]
        if word == "for":
            loop = _FOR.match(body)
            if loop:
                for alias in (loop.group(1), loop.group(2)):
                    if alias:
                        aliases[alias] = aliases.get(loop.group(3), loop.group(3))
        stack.append(word)
        return True
    if word.startswith("end"):
        opened = word[3:]
        if opened not in _BLOCK_TAGS and opened != "set":
            return True  # an extension's block ({% assets %}...{% endassets %}): not tracked
        if not stack or stack[-1] != opened:
            return False
        stack.pop()
        if opened == "autoescape":
            autoescape_off.pop()
        return True
    if word == "set":
        if "=" not in body:  # a block set: {% set x %}...{% endset %}
            stack.append("set")
            return True
        assigned = _SET.match(body)
        if assigned:
            aliases[assigned.group(1)] = aliases.get(assigned.group(2), assigned.group(2))
        return True
    reference = _REFERENCE.match(body)
    if reference:
        facts.references.append(reference.group(2))
    return True


def _raw_printed(expression: str, autoescape_off: bool) -> str | None:
    """The variable an ``{{ ... }}`` prints without escaping, if any."""
    parts = expression.split("|")
    head = parts[0]
    if not _PATH.match(head):
        return None
    filters = []
    for part in parts[1:]:
        name = _FILTER.match(part)
        if name is None:
            return None
        filters.append(name.group(1))
    if "safe" in filters:
        before = filters[: filters.index("safe")]
    elif autoescape_off:
        before = filters
    else:
        return None
    if _ESCAPING_FILTERS.intersection(before):
        return None
    head_name = _HEAD.match(head)
    return head_name.group(1) if head_name else None


# -- finding template files -----------------------------------------------------------------
def project_root(module_path: str) -> str:
    module_dir = os.path.dirname(os.path.abspath(module_path))
    cwd = os.getcwd()
    if module_dir == cwd or module_dir.startswith(cwd + os.sep):
        return cwd
    return module_dir


def default_folders(module_path: str, root: str) -> list[str]:
    """``templates/`` beside the module and in the directories above it, inside ``root``."""
    folders = []
    directory = os.path.dirname(os.path.abspath(module_path))
    for _ in range(_PARENT_LEVELS):
        folders.append(os.path.join(directory, "templates"))
        if directory == root or not directory.startswith(root):
            break
        directory = os.path.dirname(directory)
    return folders


def safe_name(name: str) -> bool:
    if not name or "\x00" in name or "\\" in name or name.startswith("/") or os.path.isabs(name):
        return False
    return ".." not in name.split("/")


class TemplateFinder:
    """Finds and scans template files; a per-process cache keyed by path, size and mtime."""

    def __init__(self) -> None:
        self._cache: FileCache[TemplateFacts] = FileCache(_CACHE_SIZE, MAX_TEMPLATE_BYTES)

    def raw_variables(self, name: str, folders: list[str], root: str) -> set[str] | None:
        """Variables printed raw by template ``name`` and what it extends or includes.

        None when the template cannot be found or read as Jinja.
        """
        first = self._locate(name, folders, root)
        if first is None:
            return None
        facts = self._facts(first)
        if facts is None:
            return None
        found = set(facts.raw_variables)
        queue = list(facts.references)
        seen = {first}
        while queue and len(seen) < MAX_TEMPLATES_FOLLOWED:
            path = self._locate(queue.pop(0), folders, root)
            if path is None or path in seen:
                continue
            seen.add(path)
            more = self._facts(path)
            if more is not None:
                found |= more.raw_variables
                queue.extend(more.references)
        return found

    def _locate(self, name: str, folders: list[str], root: str) -> str | None:
        if not safe_name(name):
            return None
        real_root = real_path(root)
        for folder in folders:
            joined = os.path.join(folder, *name.split("/"))
            if not os.path.isfile(joined):  # follows links, as the real path would
                continue
            candidate = real_path(joined)
            if candidate.startswith(real_root + os.sep):
                return candidate
        return None

    def _facts(self, path: str) -> TemplateFacts | None:
        return self._cache.get(path, lambda text, _path: scan(text))


TEMPLATES = TemplateFinder()
