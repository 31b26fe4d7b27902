"""Repeated cards stay out of the search index but once.

The urgency cards and the course and acute-pain rules (docs/includes/urgency/)
are shown on many pages. Indexed on each, a search for "numbness" or "wipe"
returned every page that shows the emergency card, and each copy made the
index every reader downloads larger. So each card has a home page
(siteconfig.CARD_HOMES) whose copy is indexed; everywhere else the include
sits in a <section data-search-exclude markdown> wrapper (Material's search
leaves such blocks out; readers still see the card). A section, not a div:
Material's search tells elements apart by tag name only, so the first </div>
inside the card (the admonition's) would end a div wrapper's exclusion and
the card's note would be indexed again.

Read from the source lines: the include and the wrapper lines around it (other
includes and blank lines may sit between them, so one wrapper can hold two
cards)."""

from __future__ import annotations

import re

from ..siteconfig import CARD_HOMES

RULE_IDS = {
    "card-copy-in-search": "a card shown away from its home page is not wrapped in <section data-search-exclude markdown>",
    "card-home-excluded": "a card's home page keeps the card out of the search index, so no page indexes it",
}

INCLUDE = re.compile(r"""^\s*-+8<-+\s*["']?(?P<name>[^"'\s]+)["']?\s*$""")
OPEN = re.compile(r"^\s*<section\b[^>]*\sdata-search-exclude\b[^>]*\smarkdown\b[^>]*>\s*$")
CLOSE = re.compile(r"^\s*</section>\s*$")
WRAP_HINT = ('wrap it: <section data-search-exclude markdown> on a line before it, </section> on a line after '
             '(the card is indexed once, on its home page {home})')
HOME_HINT = "remove the <section data-search-exclude markdown> wrapper here: this is the card's home page"


def check(page, ctx):
    for index in range(page.body_start, len(page.lines)):
        match = INCLUDE.match(page.lines[index])
        if not match or match.group("name") not in CARD_HOMES:
            continue
        name = match.group("name")
        home = CARD_HOMES[name]
        wrapped = _wrapped(page.lines, index)
        column = page.lines[index].index("-") + 1
        if page.docs_path == home and wrapped:
            yield page.finding(index + 1, column, "card-home-excluded",
                               f"{name} is wrapped in data-search-exclude on its home page, so no page indexes it",
                               HOME_HINT)
        elif page.docs_path != home and not wrapped:
            yield page.finding(index + 1, column, "card-copy-in-search",
                               f"this copy of {name} goes into the search index too (its home is {home})",
                               WRAP_HINT.format(home=home))


def _wrapped(lines: list[str], index: int) -> bool:
    """Whether the include at index sits between a data-search-exclude
    <section markdown> line and a </section> line, with only blank lines and other
    includes between them."""
    return _neighbour(lines, index, -1, OPEN) and _neighbour(lines, index, 1, CLOSE)


def _neighbour(lines: list[str], index: int, step: int, wanted: re.Pattern) -> bool:
    index += step
    while 0 <= index < len(lines):
        line = lines[index]
        if wanted.match(line):
            return True
        if line.strip() and not INCLUDE.match(line):
            return False
        index += step
    return False
