import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

# Fixtures are source files to lint, never tests to run, whatever their names.
collect_ignore_glob = ["fixtures/*"]
