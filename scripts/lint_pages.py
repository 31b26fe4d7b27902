#!/usr/bin/env python3
"""Lint every page for the page contract. See `python scripts/lint_pages.py --help`."""

import sys
from pathlib import Path

# The lint is a package beside this script; no install step needed
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pagelint.cli import main

if __name__ == "__main__":
    sys.exit(main())
