"""Section rules: red-flags links, and the sections every technique page needs."""

from __future__ import annotations

import re

from ..dom import ancestor, find_all, text_of
from ..siteconfig import SECTIONS_NEEDING_RED_FLAGS_LINK
from .disclaimer import is_disclaimer

RULE_IDS = {
    "red-flags-link": "a causes/techniques/course-planning page does not link to the red-flags page",
    "technique-section": "a technique page lacks 'Who should avoid it' or 'What the evidence says'",
    "section-empty": "a heading has nothing under it before the next heading of its level (a stub)",
    "placeholder-text": "the page still holds placeholder text (TODO, or the new-page skeleton's words)",
}

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# What a writer must replace: TODO markers, and the words scripts/new_page.py writes
PLACEHOLDER = re.compile(r"\bTODO\b|\bTBD\b|lorem ipsum|\bFIXME\b", re.I)

# Matches the source link (red-flags.md) and the built URLs (red-flags/, red-flags.html)
RED_FLAGS_HREF = re.compile(r"(^|/)red-flags(\.md|/|\.html)?(#.*)?$")
TECHNIQUE_SECTIONS = {
    "who should avoid it / cautions": re.compile(r"who should (avoid|not)|caution", re.I),
    "what the evidence says": re.compile(r"evidence", re.I),
}


def check(page, ctx):
    if page.section in SECTIONS_NEEDING_RED_FLAGS_LINK and not _links_to_red_flags(page, ctx):
        yield page.finding(
            *_after_disclaimer(page),
            "red-flags-link",
            "the page does not link to the red-flags page (the disclaimer's link does not count)",
            "link the emergency signs in the text, e.g. [red flags](../safety/red-flags.md)",
        )
    if page.section == "techniques" and not page.path.name == "index.md":
        # Without the permalink's ¶ that the toc extension appends to each heading
        headings = [text_of(h, " ", strip=True).rstrip("¶").strip() for h in find_all(page.tree, "h2")]
        for name, pattern in TECHNIQUE_SECTIONS.items():
            if not any(pattern.search(h) for h in headings):
                yield page.finding(
                    len(page.lines),
                    1,
                    "technique-section",
                    f"technique pages need a '## {name}' section",
                    f"add a ## heading for '{name}' (see CONTRIBUTING.md, 'The page contract')",
                )
    yield from _check_stubs(page)


def _check_stubs(page):
    """Empty sections and placeholder text: what a page made by `make new-page` has until written."""
    body = page.tree.find("body")
    if body is None:
        return
    blocks = [node for node in body if isinstance(node.tag, str)]
    for index, node in enumerate(blocks):
        if node.tag not in HEADINGS or node.tag == "h1":
            continue
        level = int(node.tag[1])
        following = next((b for b in blocks[index + 1 :] if b.tag not in HEADINGS or int(b.tag[1]) <= level), None)
        if following is None or following.tag in HEADINGS:
            title = _heading_text(node)
            where = page.line_of(re.compile(rf"^#{{{level}}}\s+{re.escape(title)}"), page.body_start)
            yield page.finding(
                *(where or (len(page.lines), 1)),
                "section-empty",
                f"the section '{'#' * level} {title}' is empty",
                "write it, or delete the heading; see CONTRIBUTING.md, 'The page contract'",
            )
    for node in body.iter():
        if not isinstance(node.tag, str) or node.tag in ("pre", "code"):
            continue
        for text in (node.text, node.tail):
            match = PLACEHOLDER.search(text or "")
            if not match or ancestor(node, "pre") is not None:
                continue
            snippet = text.strip()[:60]
            where = page.line_of(re.compile(re.escape(match.group(0))), page.body_start)
            yield page.finding(
                *(where or (page.body_start + 1, 1)),
                "placeholder-text",
                f"placeholder text: {snippet!r}",
                "replace it with what the page says, in your own words",
            )


def _heading_text(node) -> str:
    # Without the permalink's ¶ that the toc extension appends to each heading
    return text_of(node, " ", strip=True).rstrip("¶").strip()


def _links_to_red_flags(page, ctx) -> bool:
    for link in find_all(page.tree, "a"):
        if RED_FLAGS_HREF.search(link.get("href") or ""):
            box = ancestor(link, "div", "admonition")
            if box is None or not is_disclaimer(box, ctx):
                return True
    return False


def _after_disclaimer(page) -> tuple[int, int]:
    found = page.line_of(re.compile(r"--8<--"), page.body_start)
    return (found[0] + 1, 1) if found else (page.body_start + 1, 1)
