"""`python -m pagelint.write_cards [--check]`: the urgency cards from the signs
table (`make signs`). A module of its own, so that running it does not load
pagelint.signs twice (the package imports it through the triage rule)."""

import sys

from .signs import main

if __name__ == "__main__":
    sys.exit(main())
