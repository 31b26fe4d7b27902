"""Each repeated card is in the search index once, on its home page.

The urgency cards and the course and acute-pain rules (docs/includes/urgency/)
are shown on many pages. Indexed on each, a search for "numbness" or "wipe"
returned every page that shows the emergency card, and each copy made the
index every reader downloads larger. So each card has a home page
(CARD_HOMES in scripts/pagelint/siteconfig.py) whose copy is indexed;
everywhere else the include sits in a <section data-search-exclude markdown>
wrapper (Material's search leaves such blocks out; readers still see the card).

Judged on the rendered page as Material's search reads it (its own parser),
not on the source lines, so every way of including a card counts (block
form, "./" paths, through another snippet) and every wrapper that really works
passes. One reason to go by the parser: it tells elements apart by tag name
only, so a <div> wrapper's exclusion ends at the card's own </div> and the
card's note is indexed again; a <section> wrapper holds.

Also caught: a card include indented so far that Markdown shows the card as
code (raw "!!! emergency" text, no tap-to-call button)."""

from __future__ import annotations

import html
import re

from ..dom import find_all, normalised_text, parse, text_of
from ..siteconfig import CARD_HOMES

RULE_IDS = {
    "card-copy-in-search": "a card shown away from its home page goes into the search index again",
    "card-home-excluded": "a card's home page does not let the search index its card",
    "card-shown-as-code": "a card include is indented so far that the card shows as code",
}

WRAP_HINT = (
    "wrap the include: a line <section data-search-exclude markdown> before it and a line </section> "
    "after it, each with a blank line between; the card's home page, {home}, is the one indexed; "
    "homes are set in CARD_HOMES in scripts/pagelint/siteconfig.py"
)
HOME_HINT = (
    'show the card here, indexed: --8<-- "{name}" on a line of its own, outside any '
    "data-search-exclude wrapper; homes are set in CARD_HOMES in scripts/pagelint/siteconfig.py"
)
CODE_HINT = 'start the --8<-- "{name}" line at the same indent as the wrapper line, not 4 spaces in'


def check(page, ctx):
    cards = ctx.card_sentences  # every card with a home page whose snippet exists
    page_text = key(text_of(page.tree))
    shown = {name for name, sentences in cards.items() if holds_copy(sentences, page_text)}
    homes = {name for name in cards if CARD_HOMES[name] == page.docs_path}
    # Read as the search index reads it only where a card is at stake (Material's parser is the slow part)
    index = index_key(page.html) if shown | homes else ""
    for name in sorted(shown | homes):
        sentences = cards[name]
        indexed = count_in(sentences, index)
        if name in homes and indexed < len(sentences):
            yield page.finding(
                *_include_line(page, name),
                "card-home-excluded",
                f"this is the home page of {name}, but {indexed} of its {len(sentences)} "
                "sentences reach the search index",
                HOME_HINT.format(name=name),
            )
        elif name not in homes and holds_copy(sentences, index):
            yield page.finding(
                *_include_line(page, name),
                "card-copy-in-search",
                f"this copy of {name} goes into the search index too ({indexed} of its {len(sentences)} sentences)",
                WRAP_HINT.format(home=CARD_HOMES[name]),
            )
    for block in find_all(page.tree, "pre"):
        text = key(text_of(block))
        for name, sentences in cards.items():
            if holds_copy(sentences, text):
                yield page.finding(
                    *_include_line(page, name),
                    "card-shown-as-code",
                    f"{name} shows as code, not as the card",
                    CODE_HINT.format(name=name),
                )


def key(text: str) -> str:
    """Text without spaces: a glossary term's markup puts spaces around it
    ("syndrome :"), differently in the page, the index and the snippet."""
    return re.sub(r"\s+", "", text)


def card_sentences(tree) -> set[str]:
    """A rendered card's sentences (of its paragraphs and list items), as keys."""
    return {
        key(sentence)
        for block in tree.iter("p", "li")
        for sentence in re.split(r"(?<=[.?!])\s+", normalised_text(block))
        if len(sentence) >= 25
    }


def count_in(sentences: set[str], text: str) -> int:
    """How many of a card's sentences a text (as a key) holds."""
    return sum(1 for sentence in sentences if sentence in text)


def holds_copy(sentences: set[str], text: str) -> bool:
    """Whether a text (as a key) holds a copy of the card: more than a third of
    its sentences (a page may share one or two in its own words)."""
    return bool(sentences) and count_in(sentences, text) > len(sentences) / 3


def index_key(page_html: str) -> str:
    """A page's text as Material's search puts it into the index, as a key."""
    return "".join(plain_key(part) for part in _search_sections(page_html))


def plain_key(fragment: str) -> str:
    """HTML as the search index stores it (a section's title or text), as a key."""
    return key(html.unescape(re.sub(r"<[^>]+>", " ", fragment)))


def _search_sections(page_html: str) -> list[str]:
    try:
        # Material's own reader of a page for its search index
        from material.plugins.search.plugin import Parser
    except ImportError:  # another theme: what is outside data-search-exclude blocks
        tree = parse(page_html)
        for excluded in tree.xpath("//*[@data-search-exclude]"):
            excluded.drop_tree()  # its tail (the text after it) stays
        return [text_of(tree, " ")]
    parser = Parser()
    parser.feed(page_html)
    parser.close()
    return [
        "".join(section.title) + " " + "".join(section.text) for section in parser.data if not section.is_excluded()
    ]


def _include_line(page, name: str) -> tuple[int, int]:
    """The line naming the card's file (its include), else the page's first line."""
    found = page.line_of(re.compile(re.escape(name.rsplit("/", 1)[-1])), page.body_start)
    return found or (1, 1)
