"""What a credential looks like: by name, by value, inside a URL, and by a live token's shape.

Every pattern here runs in linear time: each begins with a fixed prefix and its repeated parts
are single character classes with nothing after them that could force backtracking.
"""

from __future__ import annotations

import functools
import keyword
import re

from ..model.config import name_tokens

# Names that say "this holds a credential": the name ends with one of these token sequences.
_CREDENTIAL_ENDINGS = frozenset(
    {
        ("password",), ("passwd",), ("pwd",), ("pass",), ("passphrase",), ("passcode",),
        ("secret",), ("token",), ("apikey",), ("secretkey",), ("api", "key"), ("access", "key"),
        ("secret", "key"), ("private", "key"), ("auth", "key"), ("signing", "key"),
        ("encryption", "key"), ("master", "key"),
    }
)
# Names ending like a credential that are not one.
_NOT_CREDENTIALS = frozenset(
    {("page", "token"), ("next", "token"), ("continuation", "token"), ("first", "pass"), ("second", "pass")}
)
_LABEL_WORDS = frozenset(
    {"password", "passwd", "pwd", "pass", "passphrase", "secret", "token", "key", "api", "apikey",
     "auth", "credential", "credentials", "bearer"}
)
_NON_SECRET_VALUES = frozenset(
    {"none", "null", "nil", "undefined", "true", "false", "yes", "no", "required", "optional",
     "hidden", "redacted", "masked", "unset", "default", "string", "str", "text", "bearer", "basic",
     "jwt", "oauth", "oauth2", "digest", "changeit_in_env"}
) | frozenset(word.lower() for word in keyword.kwlist + keyword.softkwlist)  # token kinds: "def", "class"
_WHITESPACE = re.compile(r"\s")
_PLACEHOLDER = re.compile(r"[{}<>]|%s|%\(|\$")
_PATH = re.compile(r"^(?:/|\./|\.\./|~/|[A-Za-z]:\\)|\.(?:pem|key|crt|cer|der|pub|p12|pfx|json|txt|ya?ml|ini|cfg|env)$")
_MASK = re.compile(r"^[*xX.\-_#•:]+$")
_REGEX = re.compile(r"\\[wdsbWDSB]|\[\^|\(\?[:=!<P]")  # a pattern: r"[^\W\d]\w*", "(?P<name>...)"
_ENV_NAME = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")
_LABEL = re.compile(r"^[A-Za-z][A-Za-z_\-. ]*$")

_PLACEHOLDER_HOSTS = frozenset({"host", "hostname", "server", "your-host", "yourhost"})
_PLACEHOLDER_USERS = frozenset({"user", "username", "usr", "login"})
_PLACEHOLDER_PASSWORDS = frozenset({"pass", "password", "passwd", "pwd", "secret"})
_URL = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*)://([^\s/:@]*):([^\s/@]*)@([^\s/?#]*)")

_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        ("AWS access key ID", r"(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])"),
        ("GitHub token", r"(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,255}"),
        ("GitHub fine-grained token", r"github_pat_[A-Za-z0-9_]{80,255}"),
        ("GitLab token", r"glpat-[A-Za-z0-9_\-]{20,}"),
        ("Slack token", r"xox[abposr]-[0-9]{8,}-[0-9A-Za-z\-]{8,}"),
        ("Slack webhook URL", r"hooks\.slack\.com/services/T[A-Z0-9]{6,}/B[A-Z0-9]{6,}/[A-Za-z0-9]{20,}"),
        ("Stripe secret key", r"(?<![A-Za-z0-9])(?:sk|rk)_live_[0-9A-Za-z]{20,}"),
        ("Google API key", r"AIza[0-9A-Za-z_\-]{35}"),
        ("SendGrid API key", r"SG\.[0-9A-Za-z_\-]{22}\.[0-9A-Za-z_\-]{43}"),
        ("npm token", r"(?<![A-Za-z0-9])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])"),
        ("PyPI token", r"pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,}"),
        ("OpenAI API key", r"sk-proj-[A-Za-z0-9_\-]{40,}"),
        ("Anthropic API key", r"sk-ant-api0[0-9]-[A-Za-z0-9_\-]{80,}"),
        ("private key", r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----"),
    )
)
_BASE64_CHARS = re.compile(r"[A-Za-z0-9+/=]")
_DUMMY = re.compile(r"example|(.)\1{7}", re.IGNORECASE)


def is_credential_name(name: str, extra: frozenset[str] = frozenset()) -> bool:
    tokens = name_tokens(name)
    while tokens and tokens[-1].isdigit():
        tokens.pop()
    if not tokens:
        return False
    if tuple(tokens[-2:]) in _NOT_CREDENTIALS:
        return False
    if tokens[-1] in extra:
        return True
    return tuple(tokens[-1:]) in _CREDENTIAL_ENDINGS or tuple(tokens[-2:]) in _CREDENTIAL_ENDINGS


@functools.lru_cache(maxsize=8)
def words_of_credential_names(extra: frozenset[str], signing_keys: frozenset[str]) -> frozenset[str]:
    """Lower-case text that every name ``is_credential_name`` accepts contains (its last word, or
    an extra name), and so does every signing key: a text with none of them names no credential."""
    words = {ending[-1] for ending in _CREDENTIAL_ENDINGS} | {word.lower() for word in extra | signing_keys}
    # A text that contains "password" contains "pass": only the shortest words need a search.
    return frozenset(word for word in words if not any(other in word for other in words if other != word))


def looks_like_secret_value(text: str, name: str) -> bool:
    """False for values that cannot be a credential: labels, prose, paths, placeholders, masks."""
    value = text.strip()
    if len(value) < 3 or _WHITESPACE.search(value) or "://" in value:
        return False
    if _PLACEHOLDER.search(value) or _PATH.search(value) or _MASK.match(value):
        return False
    if _REGEX.search(value):
        return False  # a tokenizer's or validator's pattern, e.g. token = r"[A-Za-z_]\w*"
    if _DUMMY.search(value):
        return False  # "ghp_xxxxxxxx...", "AKIA...EXAMPLE": a documented dummy, not a credential
    if value.lower() in _NON_SECRET_VALUES or _ENV_NAME.match(value):
        return False
    if not value.isascii() and any(ord(char) > 127 and char.isalpha() for char in value):
        return False  # words of a natural language, such as a board title
    if _LABEL.match(value) and _LABEL_WORDS.intersection(name_tokens(value)):
        return False  # "password", "X-API-Key", "access_token": a field or header name
    return True


def url_with_password(text: str) -> tuple[str, str] | None:
    """(scheme, user) when ``text`` is a URL carrying a real password, else None."""
    value = text.strip()
    if _WHITESPACE.search(value):
        return None  # prose that mentions a URL, e.g. a help text
    match = _URL.match(value)
    if match is None:
        return None
    scheme, user, password, host = match.groups()
    if not password or _PLACEHOLDER.search(password) or _MASK.match(password):
        return None
    if "example" in host.lower() or host.split(":")[0].lower() in _PLACEHOLDER_HOSTS:
        return None  # "postgresql://user:pass@host/db" is a template shown to a person
    if user.lower() in _PLACEHOLDER_USERS and password.lower() in _PLACEHOLDER_PASSWORDS:
        return None
    return scheme, user


def may_have_credential_shape(text: str) -> bool:
    """False when no part of ``text`` can have ``credential_shape``. Texts joined with newlines
    may be asked at once: no shape spans a newline, and each is bounded by a look-around that a
    newline satisfies as the end of a text does, so a shape in one text is found in the whole."""
    return any(pattern.search(text) for _, pattern in _SHAPES)


def credential_shape(text: str) -> str | None:
    """The kind of live credential ``text`` contains, if any."""
    for kind, pattern in _SHAPES:
        match = pattern.search(text)
        if match is None or _DUMMY.search(match.group(0)):
            continue
        if kind == "private key" and len(_BASE64_CHARS.findall(text[match.end():])) < 64:
            continue  # a header with no key material after it is documentation
        return kind
    return None
