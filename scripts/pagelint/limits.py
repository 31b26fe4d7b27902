"""Limits on what a page may be, checked before anything parses it, so that
no input (however large, long, deep or odd) makes the lint, the build or
Python-Markdown crash or run for minutes. Each limit is far above what a
real page needs; crossing one is an error with file, line and what to do."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .findings import Finding

MAX_FILE_BYTES = 512 * 1024
MAX_LINE_CHARS = 5_000
# Python-Markdown's inline patterns slow down sharply with many "[" in one
# block (5,000 of them took 24 s; 300 take 0.2 s)
MAX_BRACKETS_PER_BLOCK = 400
# Nested lists or quotes: 500 levels raise RecursionError in Python-Markdown
MAX_NESTING = 24
_QUOTES = re.compile(r"^(?:\s*>)+")
_ALIAS_HINT = re.compile(r"(^|[\s\[{,:\-?])[&*][^\s,\[\]{}]")


class LimitError(Exception):
    def __init__(self, finding: Finding):
        super().__init__(finding.message)
        self.finding = finding


def check_size(display: str, size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise LimitError(
            Finding(
                display,
                1,
                1,
                "file-too-large",
                f"the file is {size // 1024} KB, over the {MAX_FILE_BYTES // 1024} KB limit",
                "split the page into several pages",
            )
        )


def check_text(display: str, lines: list[str]) -> None:
    brackets, block_start = 0, 1
    for number, line in enumerate(lines, 1):
        if len(line) > MAX_LINE_CHARS:
            raise LimitError(
                Finding(
                    display,
                    number,
                    MAX_LINE_CHARS + 1,
                    "line-too-long",
                    f"line is {len(line):,} characters, over the {MAX_LINE_CHARS:,} limit",
                    "break the line (Markdown joins lines of a paragraph)",
                )
            )
        if not line.strip():
            brackets, block_start = 0, number + 1
            continue
        brackets += line.count("[")
        if brackets > MAX_BRACKETS_PER_BLOCK:
            raise LimitError(
                Finding(
                    display,
                    block_start,
                    1,
                    "too-many-brackets",
                    f"more than {MAX_BRACKETS_PER_BLOCK} '[' in one paragraph or block",
                    "split the paragraph, or escape literal brackets as \\[",
                )
            )
        expanded = line.expandtabs(4)
        indent = (len(expanded) - len(expanded.lstrip(" "))) // 4
        quotes = _QUOTES.match(line)
        depth = max(indent, quotes.group(0).count(">") if quotes else 0)
        if depth > MAX_NESTING:
            raise LimitError(
                Finding(
                    display,
                    number,
                    1,
                    "nesting-too-deep",
                    f"nested {depth} levels deep (lists, quotes or indentation), over {MAX_NESTING}",
                    "flatten the list or quote; no page needs that depth",
                )
            )


def check_front_matter_aliases(display: str, front_matter: str) -> Finding | None:
    """YAML anchors and aliases (&a / *a) are refused: a few lines of them can
    expand to billions of values (a 'billion laughs' alias bomb)."""
    if not _ALIAS_HINT.search(front_matter):
        return None
    try:
        for token in yaml.scan(front_matter, Loader=yaml.SafeLoader):
            if isinstance(token, (yaml.AliasToken, yaml.AnchorToken)):
                return Finding(
                    display,
                    token.start_mark.line + 2,
                    token.start_mark.column + 1,
                    "front-matter-yaml",
                    "YAML anchors and aliases (&name, *name) are not allowed in front matter",
                    "write each value out in full",
                )
    except yaml.YAMLError:
        return None  # the loader reports the syntax error with its line
    return None


def check_file(path: Path, display: str) -> Finding | None:
    """The limits for one file on disk (the build's pre-flight): a finding or None."""
    try:
        check_size(display, path.stat().st_size)
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        check_text(display, text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    except LimitError as exc:
        return exc.finding
    except OSError:
        return None
    return None
