"""Run flake8 in this process, with or without the flake8-flask-safety plugin.

    python bench/flake8_runner.py --with-plugin|--without-plugin|--without-rules [flake8 arguments...]

Both modes load the same flake8 installation through the same code path. ``--without-plugin``
drops the plugin's distribution from the list that flake8's plugin finder discovers through
``importlib.metadata`` entry points, before flake8 loads any plugin, so flake8 then runs exactly
as if the plugin were not installed (its options are not registered, its module is never
imported). Every other plugin (pyflakes, pycodestyle, mccabe, ...) is kept in both modes.

``--without-rules`` (a diagnostic, not used by ``run.py``) loads the plugin with an empty list of
rule families: every file that passes the pre-check is still built into an astroid tree and a model
and freed, and nothing is reported. Its time, against the other two modes, is what building costs
inside flake8, apart from the rules.
"""

from __future__ import annotations

import sys

PLUGIN_DISTRIBUTION = "flake8-flask-safety"


def _normalise(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def disable_plugin() -> None:
    from flake8.plugins import finder

    original = finder._find_importlib_plugins

    def without_plugin():  # type: ignore[no-untyped-def]
        for plugin in original():
            if _normalise(plugin.package) != PLUGIN_DISTRIBUTION:
                yield plugin

    finder._find_importlib_plugins = without_plugin  # type: ignore[assignment]


def without_rules() -> None:
    import functools

    from flake8_flask_safety import rules

    @functools.lru_cache(maxsize=1)
    def no_families() -> tuple[()]:
        rules._family_modules()  # imported as in a normal run, then left unused
        return ()

    rules.families = no_families  # type: ignore[assignment]  # the plugin reads it at each file


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("--with-plugin", "--without-plugin", "--without-rules"):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[0] == "--without-plugin":
        disable_plugin()
    elif argv[0] == "--without-rules":
        without_rules()
    from flake8.main.cli import main as flake8_main

    return flake8_main(argv[1:])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
