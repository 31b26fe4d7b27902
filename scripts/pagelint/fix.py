"""--fix: add what a page is missing (front matter skeleton, disclaimer include).
Only ever inserts text: every byte of the original stays as it was, line
endings and a byte-order mark included."""

from __future__ import annotations

import re
from pathlib import Path

from . import skeleton
from .context import Context
from .runner import lint_page


def fix_file(path: Path, ctx: Context) -> list[str]:
    """Fix one page in place; returns what was added (empty: nothing to do)."""
    result = lint_page(path, ctx)
    rules = {f.rule for f in result.findings}
    if rules & {"file-encoding", "file-unreadable", "front-matter-yaml"}:
        return []  # cannot tell safely where to insert

    raw = path.read_bytes()
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    text = raw[len(bom):].decode("utf-8")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    added: list[str] = []
    insertions: list[tuple[int, str]] = []  # (line index, text to insert before it)

    has_front_matter = bool(lines) and re.match(r"^---[ \t]*\r?\n?$", lines[0])
    body_start = 0
    if has_front_matter:
        body_start = next((i + 1 for i in range(1, len(lines)) if re.match(r"^(---|\.\.\.)[ \t]*\r?\n?$", lines[i])), 0)
    elif "front-matter-missing" in rules:
        heading = next((l for l in lines if l.startswith("# ")), None)
        title = heading[2:].strip() if heading else path.stem.replace("-", " ").capitalize()
        insertions.append((0, skeleton.front_matter(title, ctx.today)))
        added.append("front matter skeleton (fill in the TODO values)")

    if "disclaimer-missing" in rules and not any("--8<--" in l and "disclaimer" in l for l in lines):
        heading = next((i for i in range(body_start, len(lines)) if lines[i].startswith("# ")), None)
        at = heading + 1 if heading is not None else body_start
        insertions.append((at, f"\n{skeleton.DISCLAIMER_INCLUDE}\n"))
        added.append(f"disclaimer include at line {at + 1}")

    if not insertions:
        return []
    for at, snippet in sorted(insertions, reverse=True):
        # A last line without a newline needs one before anything goes after it
        if at == len(lines) and lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += newline
        lines.insert(at, snippet.replace("\n", newline))
    path.write_bytes(bom + "".join(lines).encode("utf-8"))
    return added
