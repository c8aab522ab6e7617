"""Unit tests of rules/credentials.py: names, values, URLs and live-credential shapes.

The last section feeds megabyte-sized adversarial strings to every function. They assert on the
answer only; a pattern that backtracked quadratically would turn them from well under a second
into hours, which shows as a hung test run rather than a flaky timing assertion.
"""

from __future__ import annotations

import pytest

from flake8_flask_safety.rules.credentials import (
    credential_shape,
    may_have_credential_shape,
    is_credential_name,
    looks_like_secret_value,
    url_with_password,
)

try:  # a generous guard when pytest-timeout is installed; the tests run without it too
    import pytest_timeout  # noqa: F401

    _timeout = pytest.mark.timeout(120)
except ImportError:  # pragma: no cover - depends on the environment

    def _timeout(test):  # type: ignore[no-redef]
        return test

# Random strings with a credential's shape, built for these tests; none belongs to anybody.
FAKE_GITHUB = "ghp_" + "jIhKtJ0RlgLKOmxgJTeKdNnFRIBXuDL7Dxtp"
FAKE_AWS = "AKIA" + "UJZDE8GXD6NCF10E"
PEM_BODY = "1IqfEouHgxzNNAL5wIScGebcy8F5n3/YNBDRzrZSgqbjG3uhkWKFLf6xuI5aHUQP\n" * 2


# -- is_credential_name ------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        "password", "PASSWORD", "db_password", "DB_PASSWORD", "dbPassword", "DbPassword",
        "passwd", "admin_pwd", "mail-pass", "passphrase", "secret", "client_secret",
        "CLIENT_SECRET", "token", "auth_token", "GITHUB_TOKEN", "api_key", "apiKey", "APIKEY",
        "api-key", "access_key", "AWS_SECRET_ACCESS_KEY", "private_key", "privateKey",
        "secret_key", "signing_key", "encryption_key", "master_key", "password2", "TOKEN_1",
    ],
)
def test_credential_names(name: str) -> None:
    assert is_credential_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "PASSWORD_FIELD", "TOKEN_URL", "TOKEN_ENDPOINT", "API_KEY_HEADER", "PASSWORD_PROMPT",
        "SECRET_NAME", "TOKEN_TYPE", "PASSWORD_MIN_LENGTH", "PASSWORD_HASH_METHOD",
        "password_hint", "secret_key_file", "token_type", "next_page_token", "page_token",
        "continuation_token", "first_pass", "key", "username", "bypass_cache", "compass",
        "passport", "tokenizer", "secretary", "keyword", "", "_", "123",
    ],
)
def test_not_credential_names(name: str) -> None:
    assert not is_credential_name(name)


def test_extra_credential_names() -> None:
    assert not is_credential_name("admin_pin")
    assert is_credential_name("admin_pin", frozenset({"pin"}))
    assert is_credential_name("ADMIN_PIN", frozenset({"pin"}))
    assert not is_credential_name("pin_length", frozenset({"pin"}))


# -- looks_like_secret_value -------------------------------------------------------------
@pytest.mark.parametrize(
    "value", ["hunter2", "admin123", "s3cret!", "4f9c2a7e81b3d6a0", "changeme", "letmein", "pw1"]
)
def test_secret_values(value: str) -> None:
    assert looks_like_secret_value(value, "password")


@pytest.mark.parametrize(
    "value",
    [
        "", "  ", "pw", "password", "Password", "X-API-Key", "access_token", "api key",
        "Please enter your password:", "https://auth.internal/oauth/token", "Bearer", "bearer",
        "Basic", "None", "true", "DB_PASSWORD", "API_KEY", "{token}", "%s", "%(password)s",
        "${PASSWORD}", "<token>", "/run/secrets/db_password", "./keys/server.pem", "server.key",
        "~/.ssh/id_rsa", "C:\\keys\\id_rsa", "config.yaml", "********", "xxxxxxxx", "•••",
        "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "AKIAIOSFODNN7EXAMPLE", ":****", "def", "class",
        "async", r"[^\W\d]\w*", r"(?P<user>\w+)", r"\d{6}",
    ],
)
def test_values_that_cannot_be_secrets(value: str) -> None:
    assert not looks_like_secret_value(value, "password")


# -- url_with_password -------------------------------------------------------------------
@pytest.mark.parametrize(
    "url, expected",
    [
        ("postgresql://flask:hunter2@db:5432/shop", ("postgresql", "flask")),
        ("mysql+pymysql://root:toor@10.0.0.5/users", ("mysql+pymysql", "root")),
        ("redis://:r3dis@cache:6379/0", ("redis", "")),
        ("amqp://guest:guest@rabbitmq:5672//", ("amqp", "guest")),
        ("  mongodb://admin:m0ngo@mongo/admin  ", ("mongodb", "admin")),
    ],
)
def test_urls_with_passwords(url: str, expected: tuple[str, str]) -> None:
    assert url_with_password(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://flask@db/shop", "sqlite:///app.db", "sqlite://", "redis://cache:6379/0",
        "postgresql://{}:{}@{}/{}", "postgresql://%s:%s@%s/db", "postgresql://app:${DB_PASSWORD}@db/app",
        "postgresql://app:{password}@db/app", "postgresql://app:****@db/app",
        "postgresql://user:password@example.com/db", "postgres://scott:tiger@db.example.org/test",
        "e.g. postgresql://user:pass@localhost/app", "postgresql://app:@db/app",
        "https://flask.palletsprojects.com/", "not a url", "",
    ],
)
def test_urls_without_passwords(url: str) -> None:
    assert url_with_password(url) is None


# -- credential_shape --------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, kind",
    [
        (FAKE_AWS, "AWS access key ID"),
        ("ASIA" + "PF91DHODZDOC9IS0", "AWS access key ID"),
        (FAKE_GITHUB, "GitHub token"),
        ("token " + FAKE_GITHUB, "GitHub token"),
        ("github_pat_" + "0uvSwMFLZDe1f8rESQedUStPKR0CsTy4Qwb8DwkNhFdnXsiVpzz63FfkCzJr4i0B3JrTAwR4y9ojfljoQo",
         "GitHub fine-grained token"),
        ("glpat-" + "aF1LlqsajAIxNKu8iS2G", "GitLab token"),
        ("xoxb-" + "90786666176-031372159010-KjIg8xNbe3nNyjOq9wMxEhh2", "Slack token"),
        ("https://hooks.slack.com/services/T5344TFJG/BVQ4K7BN7XJ/" + "SI6bWHtP3fS2qHx6kwXoIIXG",
         "Slack webhook URL"),
        ("sk_live_" + "vOoNZYW2mZp0zVZomHFwUbbY", "Stripe secret key"),
        ("AIza" + "a9SkpXz9w3QlY7Zkuvqdt7s8Stqcbnr3yBd", "Google API key"),
        ("SG." + "qnsGpWLuqIA1id6Vw5DQL0.5HA064GiIjHGb3CXlMaXZjljENUhJduRHHJEYXg4Jdp", "SendGrid API key"),
        ("npm_" + "mrcXgGCJbW56eCuNGMGmSrCGIZEG8pSH4487", "npm token"),
        ("sk-proj-" + "q7J58m1CiAhzCueQpBenQtYh5Xj8TPQxjq4i9DoV8gz4FkQ1", "OpenAI API key"),
        ("-----BEGIN RSA PRIVATE KEY-----\n" + PEM_BODY + "-----END RSA PRIVATE KEY-----", "private key"),
        ("-----BEGIN OPENSSH PRIVATE KEY-----\n" + PEM_BODY, "private key"),
    ],
)
def test_live_credential_shapes(text: str, kind: str) -> None:
    assert credential_shape(text) == kind
    # FKS404 searches a file's strings joined with newlines before testing them one by one.
    for joined in (text, "AKIAIOSFODNN7EXAMPLE\n" + text + "\nplain", "a" * 40 + "\n" + text):
        assert may_have_credential_shape(joined), joined[:60]


@pytest.mark.parametrize(
    "text",
    [
        "AKIAIOSFODNN7EXAMPLE",  # AWS's documented example key
        "ghp_" + "x" * 36,
        "ghp_abc",
        "AKIA" + "UJZDE8GXD6NCF10E" + "0",  # too long for a key ID
        "sk_test_" + "vOoNZYW2mZp0zVZomHFwUbbY",  # a test-mode key is not a live key
        "sk_live_",
        "-----BEGIN PRIVATE KEY-----",  # a header without key material is documentation
        "-----BEGIN PUBLIC KEY-----\n" + PEM_BODY,
        "mask" + FAKE_GITHUB[:10],
        "",
    ],
)
def test_not_live_credentials(text: str) -> None:
    assert credential_shape(text) is None


def test_joined_texts_without_shapes_are_ruled_out_at_once() -> None:
    texts = ["ghp_abc", "sk_test_" + "vOoNZYW2mZp0zVZomHFwUbbY", "-----BEGIN PUBLIC KEY-----", "", "page"]
    assert not may_have_credential_shape("\n".join(texts))


# -- adversarial input: every function answers in linear time ----------------------------
_MEGA = 10**6
ADVERSARIAL = {
    "openai prefix then a long run": "sk-proj-" + "a" * _MEGA,
    "url of many user:colon pairs": "postgres://" + "a:" * (_MEGA // 2),
    "url with a huge password and no host": "postgres://a:" + "a" * _MEGA,
    "url of many separators": "p://" + ":@" * (_MEGA // 2),
    "many scheme separators": "a://" * (_MEGA // 4),
    "a huge scheme": "a" * _MEGA + "://",
    "repeated AWS prefixes": "AKIA" * (_MEGA // 4),
    "repeated GitHub prefixes": "ghp_" * (_MEGA // 4),
    "slack prefix then digits": "xoxb-" + "1" * _MEGA,
    "repeated slack prefixes": ("xoxb-" + "1" * 8) * (_MEGA // 13),
    "slack webhook then capitals": "hooks.slack.com/services/T" + "A" * _MEGA,
    "repeated gitlab prefixes": "glpat-" * (_MEGA // 6),
    "repeated sendgrid parts": ("SG." + "a" * 22 + ".") * (_MEGA // 26),
    "pem header without body": "-----BEGIN PRIVATE KEY-----" + "!" * _MEGA,
    "repeated pem openings": "-----BEGIN " * (_MEGA // 11),
    "env-name-like": "A_" * _MEGA + "a",
    "label-like": "a-" * _MEGA + "1",
    "camel case soup": "aA1" * (_MEGA // 3),
    "almost example": "exampl" * (_MEGA // 6),
    "path-like": "a." * _MEGA + "x",
    "mask then a letter": "*" * _MEGA + "a",
}


@_timeout
@pytest.mark.parametrize("text", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_adversarial_strings(text: str) -> None:
    credential_shape(text)
    url_with_password(text)
    looks_like_secret_value(text, "password")
    is_credential_name(text)


@_timeout
def test_adversarial_answers() -> None:
    assert credential_shape("sk-proj-" + "a" * _MEGA) is None  # one long run of a character is a dummy
    assert credential_shape("sk-proj-" + "aB3d" * (_MEGA // 4)) == "OpenAI API key"
    assert url_with_password("postgres://" + "a:" * (_MEGA // 2)) is None
    assert url_with_password("postgres://u:" + "p" * _MEGA + "@db/x") == ("postgres", "u")
    assert not is_credential_name("A_" * _MEGA + "a")
    assert is_credential_name("a_" * _MEGA + "password")


def test_every_credential_name_contains_one_of_the_words_of_the_credential_check() -> None:
    """FKS402/FKS405 skip a file whose text has none of these words; only the shortest are kept
    (``pass`` for ``password``), so each longer word must still contain one of them."""
    from flake8_flask_safety.rules.credentials import _CREDENTIAL_ENDINGS, words_of_credential_names

    words = words_of_credential_names(frozenset({"Passport", "dsn"}), frozenset({"SECRET_KEY", "MY_SALT"}))
    assert words == {"pass", "pwd", "secret", "token", "key", "dsn", "my_salt"}
    names = ["".join(ending) for ending in _CREDENTIAL_ENDINGS] + ["passport", "dsn", "secret_key", "my_salt"]
    for name in names:
        assert any(word in name for word in words), name
