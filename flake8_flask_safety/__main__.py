"""``python -m flake8_flask_safety list`` / ``explain FKS101``."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
