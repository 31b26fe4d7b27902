"""pagelint: checks every page of the site against the page contract.

One implementation serves the command line (scripts/lint_pages.py), the
MkDocs hook (overrides/hooks/pagelint_hook.py) and the tests. It needs only
the project's Markdown extensions, never a running MkDocs, so it outlives
the theme.
"""

from .findings import Finding, Severity
from .runner import lint_files, lint_page
from .site_check import check_site

__all__ = ["Finding", "Severity", "check_site", "lint_files", "lint_page"]
