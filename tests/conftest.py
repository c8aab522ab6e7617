import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

# Fixtures are source files to lint, never tests to run, whatever their names.
collect_ignore_glob = ["fixtures/*"]


def pytest_configure(config):
    # Tests that install packages from the package registry (pre-commit, tox): .ci/run runs them;
    # deselect with -m "not network" when offline.
    config.addinivalue_line("markers", "network: installs packages from the package registry")
