"""The plugin's own ``--fks-*`` options, registered with flake8's option manager."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

# Opt-in codes: flake8 ignores them unless a user selects them (``extend-select = FKS304``).
# Each rule module declares its own in ``DEFAULT_OFF``; a test keeps this list equal to theirs.
# It lives here because registering options must not import astroid.
DEFAULT_OFF_CODES: tuple[str, ...] = ("FKS304", "FKS501")

# Every code the plugin reports, FKS000 included; a test keeps it equal to the rule modules'
# ``MESSAGES``. It lives here for the same reason: deciding what to compute must not import astroid.
ALL_CODES: tuple[str, ...] = (
    "FKS000",
    "FKS101", "FKS102", "FKS103", "FKS104", "FKS105",
    "FKS201", "FKS202", "FKS203", "FKS204",
    "FKS301", "FKS302", "FKS303", "FKS304",
    "FKS401", "FKS402", "FKS403", "FKS404", "FKS405", "FKS406",
    "FKS501", "FKS502", "FKS503", "FKS504", "FKS505",
    "FKS601", "FKS602", "FKS603", "FKS604",
    "FKS701", "FKS702", "FKS703", "FKS704", "FKS705",
    "FKS801",
    "FKS901",
)

DEFAULT_DEV_MARKERS = ("dev", "development", "local", "test", "testing", "tests")
DEFAULT_SIGNING_KEYS = (
    "SECRET_KEY",
    "JWT_SECRET_KEY",
    "WTF_CSRF_SECRET_KEY",
    "SECURITY_PASSWORD_SALT",
    "SECURITY_TOTP_SECRETS",
    "SECURITY_CONFIRM_SALT",
    "SECURITY_RESET_SALT",
    "SECURITY_LOGIN_SALT",
    "SECURITY_REMEMBER_SALT",
    "REMEMBER_COOKIE_SECRET",
    "SESSION_COOKIE_SECRET",
    "SIGNING_KEY",
)


@dataclass(frozen=True)
class Options:
    dev_config_markers: frozenset[str] = frozenset(DEFAULT_DEV_MARKERS)
    signing_keys: frozenset[str] = frozenset(DEFAULT_SIGNING_KEYS)
    extra_credential_names: frozenset[str] = field(default_factory=frozenset)
    # Codes flake8 drops in every file, whatever the file says (not selected, or ignored): they
    # are never computed. Empty outside flake8, where every code is computed.
    off_codes: frozenset[str] = field(default_factory=frozenset)

    def computes(self, code: str) -> bool:
        return code not in self.off_codes

    @cached_property  # asked for every file flake8 checks
    def computes_nothing(self) -> bool:
        """Every code that analysing a file can report is off (FKS000 only reports a failure
        of that analysis), so no file needs to be read."""
        return all(code in self.off_codes for code in ALL_CODES if code != "FKS000")


def register(option_manager: Any) -> None:
    if DEFAULT_OFF_CODES:
        option_manager.extend_default_ignore(list(DEFAULT_OFF_CODES))
    option_manager.add_option(
        "--fks-dev-config-names",
        default="",
        parse_from_config=True,
        comma_separated_list=True,
        help="Extra words that mark a config class or module as development/testing, so FKS102 "
        "accepts DEBUG = True there (default markers: %s)." % ", ".join(DEFAULT_DEV_MARKERS),
    )
    option_manager.add_option(
        "--fks-signing-keys",
        default="",
        parse_from_config=True,
        comma_separated_list=True,
        help="Extra configuration keys that hold signing secrets, checked by FKS401 and FKS406.",
    )
    option_manager.add_option(
        "--fks-credential-names",
        default="",
        parse_from_config=True,
        comma_separated_list=True,
        help="Extra name words that mark a credential for FKS402 and FKS405 (e.g. 'pin,passcode').",
    )


def from_flake8(parsed: Any) -> Options:
    def words(value: Any) -> frozenset[str]:
        if not value:
            return frozenset()
        if isinstance(value, str):
            value = value.split(",")
        return frozenset(v.strip() for v in value if v and v.strip())

    return Options(
        dev_config_markers=frozenset(DEFAULT_DEV_MARKERS)
        | {w.lower() for w in words(getattr(parsed, "fks_dev_config_names", None))},
        signing_keys=frozenset(DEFAULT_SIGNING_KEYS)
        | {w.upper() for w in words(getattr(parsed, "fks_signing_keys", None))},
        extra_credential_names=frozenset(
            w.lower() for w in words(getattr(parsed, "fks_credential_names", None))
        ),
        off_codes=codes_flake8_drops(parsed),
    )


def codes_flake8_drops(parsed: Any) -> frozenset[str]:
    """The FKS codes that flake8's own select/ignore decision (``--select``, ``--ignore``,
    ``--extend-select``, ``--extend-ignore``, the plugins' default-off codes) drops everywhere.

    flake8 matches codes by prefix, so ``--select E,F,W`` keeps every FKS code (``F``) and
    ``--ignore F`` drops them all. ``per-file-ignores`` and ``# noqa`` are left to flake8: they
    hold for some files or lines only.
    """
    try:
        from flake8.style_guide import Decision, DecisionEngine

        engine = DecisionEngine(parsed)
        return frozenset(code for code in ALL_CODES if engine.decision_for(code) is Decision.Ignored)
    except Exception:  # options flake8 did not build, or an engine that differs: compute everything
        return frozenset()
