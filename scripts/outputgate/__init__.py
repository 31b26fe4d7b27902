"""outputgate: the allow-list gate over everything a build publishes.

A plain script over the output (site/ or the offline bundle), independent of
MkDocs and its hooks: HTML is parsed as browsers parse it (lexbor, a WHATWG
HTML parser, through selectolax), CSS is tokenised by tinycss2 (CSS Syntax
Level 3). What is not allowed fails the build; see allowlist.py for what is.
"""

from .gate import Problem, check_tree

__all__ = ["Problem", "check_tree"]
