"""--fix: add what a page is missing (front matter skeleton, a # heading,
the disclaimer include). Only ever inserts text: every byte of the original
stays as it was, line endings and a byte-order mark included. Never writes
through a symbolic link and never inserts inside a fenced code block; a page
it cannot fix safely is refused with the reason (FixRefused)."""

from __future__ import annotations

import re
from pathlib import Path

from . import skeleton
from .context import Context
from .runner import lint_page

FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
REFUSE = {
    "file-encoding": "it is not valid UTF-8",
    "file-unreadable": "it cannot be read",
    "front-matter-yaml": "its front matter is not valid YAML (fix that first)",
    "symlink-outside": "it is a symbolic link to a file outside docs/",
    "file-too-large": "it is over the size limit",
    "line-too-long": "a line is over the length limit",
    "too-many-brackets": "a block has too many '['",
    "nesting-too-deep": "it is nested too deeply",
}


class FixRefused(Exception):
    """The page was left as it was; the message says why."""


def _outside_fences(lines: list[str], start: int) -> list[int]:
    """Indexes of the lines from start on that are not inside a fenced code block."""
    kept, fence = [], None
    for index in range(start, len(lines)):
        match = FENCE.match(lines[index])
        if fence is None:
            if match:
                fence = match.group(1)
                continue
            kept.append(index)
        elif (
            match
            and match.group(1)[0] == fence[0]
            and len(match.group(1)) >= len(fence)
            and not lines[index].strip()[len(match.group(1)) :].strip()
        ):
            fence = None
    return kept


def fix_file(path: Path, ctx: Context) -> list[str]:
    """Fix one page in place; returns what was added (empty: nothing to do)."""
    if path.is_symlink() or path.resolve() != path.absolute():
        raise FixRefused("it is (or lies under) a symbolic link: --fix never writes through one")
    result = lint_page(path, ctx)
    rules = {f.rule for f in result.findings}
    refused = sorted(rules & REFUSE.keys())
    if refused:
        raise FixRefused(REFUSE[refused[0]])

    raw = path.read_bytes()
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    text = raw[len(bom) :].decode("utf-8")
    newline = "\r\n" if "\r\n" in text else ("\r" if "\r" in text else "\n")
    lines = text.splitlines(keepends=True)
    added: list[str] = []
    insertions: list[tuple[int, str]] = []  # (line index, text to insert before it)

    has_front_matter = bool(lines) and re.match(r"^---[ \t]*(\r\n|\r|\n)?$", lines[0])
    body_start = 0
    if has_front_matter:
        body_start = next(
            (i + 1 for i in range(1, len(lines)) if re.match(r"^(---|\.\.\.)[ \t]*(\r\n|\r|\n)?$", lines[i])), 0
        )
    visible = _outside_fences(lines, body_start)
    heading = next((i for i in visible if lines[i].startswith("# ")), None)
    title = lines[heading][2:].strip() if heading is not None else None

    if not has_front_matter and "front-matter-missing" in rules:
        title = title or path.stem.replace("-", " ").capitalize()
        insertions.append((0, skeleton.front_matter(title, ctx.today)))
        added.append("front matter skeleton (fill in the TODO values)")

    has_include = any("--8<--" in lines[i] and "disclaimer" in lines[i] for i in visible)
    if "disclaimer-missing" in rules and not has_include:
        if heading is None:
            name = title or str(ctx_title(path, lines, body_start))
            insertions.append((body_start, f"# {name}\n\n{skeleton.DISCLAIMER_INCLUDE}\n\n"))
            added.append(f"a # heading and the disclaimer include at line {body_start + 1}")
        else:
            insertions.append((heading + 1, f"\n{skeleton.DISCLAIMER_INCLUDE}\n"))
            added.append(f"disclaimer include at line {heading + 2}")

    if not insertions:
        return []
    # Bottom up; at one line, what was planned first (the front matter) ends up first
    for at, _, snippet in sorted(((at, order, text) for order, (at, text) in enumerate(insertions)), reverse=True):
        # A last line without a newline needs one before anything goes after it
        if at == len(lines) and lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += newline
        lines.insert(at, snippet.replace("\n", newline))
    path.write_bytes(bom + "".join(lines).encode("utf-8"))
    return added


def ctx_title(path: Path, lines: list[str], body_start: int) -> str:
    """A heading for a page that has none: its front-matter title, else its file name."""
    for line in lines[1:body_start]:
        match = re.match(r"^title:\s*(.+?)\s*$", line)
        if match:
            return match.group(1).strip("'\"")
    return path.stem.replace("-", " ").capitalize()
