"""Python-Markdown extension: a glossary term is marked once per page, and
its definition opens as a native HTML popover.

The `abbr` extension (with the glossary appended to every page by
pymdownx.snippets) wraps every occurrence of every term in <abbr title>.
On a page where "sciatica" appears forty times that looks like forty broken
links, and Material's `content.tooltips` mounting a tooltip on each <abbr>
cost a throttled phone about 250 ms of blocking script at load (Lighthouse).
This treeprocessor runs right after `abbr`. It keeps only the first term of
each kind on the page, in reading order, and none at all:

- in headings (h1-h6: the page title, and the table of contents built from
  them, run after this);
- in link text (a button inside a link fights the link for the tap);
- in admonition titles, <summary> and <label> (titles, not running text);
- in a block of class `no-glossary-terms` (the glossary page's own table,
  where every word is a term);
- in code.

Every other <abbr> becomes plain text. The one kept becomes a button that
opens the definition in a popover (HTML's `popover` attribute: no script,
works on tap, with the keyboard and from file://; the browser closes it on
Escape or a tap elsewhere):

    <button type="button" class="glossary-term" popovertarget="glossary-sciatica">sciatica</button><span
      class="glossary-definition" id="glossary-sciatica" popover data-search-exclude><strong>sciatica</strong>:
      Pain, tingling ... <button type="button" class="glossary-close" popovertarget="glossary-sciatica"
      popovertargetaction="hide">Close</button></span>

The definition is part of the page's HTML, hidden until opened, so whatever
reads page text skips elements with a `popover` attribute: Material's search
(data-search-exclude), the page lint (scripts/pagelint/dom.py; its claims
rule reads each definition on its own) and the print edition
(scripts/build_pdf.py). docs/assets/stylesheets/extra.css styles the term as
running text with a dotted underline and the definition as a card at the
bottom of the screen, hidden where the browser has no popovers.

Terms are told apart by their definition, so "sciatica" and "Sciatica"
(defined alike) count as one term. The popover's id is "glossary-" and a slug
of the term as first written, made unique on the page. Plain Markdown: no
MkDocs hook, so the page lint (which renders pages with the same extensions)
and any other Python-Markdown tool see what the site shows. Enable it after
`abbr`:

    markdown_extensions:
      - abbr
      - glossary_first_use

`scripts/` is on the virtual environment's path (the Makefile writes a
.pth file), so MkDocs finds the module by name.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
NO_TERMS = HEADINGS | {"a", "button", "code", "label", "pre", "summary"}
ID_PREFIX = "glossary-"


# A block whose words are the glossary itself (the glossary page's table)
NO_TERMS_CLASSES = {"admonition-title", "no-glossary-terms"}


def _no_terms_inside(el: etree.Element) -> bool:
    return el.tag in NO_TERMS or bool(NO_TERMS_CLASSES & set((el.get("class") or "").split()))


def _unwrap(parent: etree.Element, index: int) -> None:
    """Replace parent[index] (an <abbr>) by its text, keeping its tail."""
    abbr = parent[index]
    text = (abbr.text or "") + (abbr.tail or "")
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        before = parent[index - 1]
        before.tail = (before.tail or "") + text
    parent.remove(abbr)


def slug(term: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-") or "term"


def term_elements(term: str, definition: str, popover_id: str) -> tuple[etree.Element, etree.Element]:
    """The term's button and its definition's popover (in that order, siblings)."""
    button = etree.Element("button", {"type": "button", "class": "glossary-term", "popovertarget": popover_id})
    button.text = AtomicString(term)
    # None: a bare attribute (popover alone means popover="auto")
    card = etree.Element(
        "span", {"class": "glossary-definition", "id": popover_id, "popover": None, "data-search-exclude": None}
    )
    name = etree.SubElement(card, "dfn")
    name.text = AtomicString(term)
    name.tail = AtomicString(f": {definition} ")
    close = etree.SubElement(
        card,
        "button",
        {"type": "button", "class": "glossary-close", "popovertarget": popover_id, "popovertargetaction": "hide"},
    )
    close.text = "Close"
    return button, card


class FirstUseTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        self.ids = {el.get("id") for el in root.iter() if el.get("id")}
        self._walk(root, set(), inside=False)

    def _unique_id(self, term: str) -> str:
        base = ID_PREFIX + slug(term)
        candidate, n = base, 1
        while candidate in self.ids:
            n += 1
            candidate = f"{base}-{n}"
        self.ids.add(candidate)
        return candidate

    def _walk(self, el: etree.Element, seen: set[str], inside: bool) -> None:
        index = 0
        while index < len(el):
            child = el[index]
            if child.tag == "abbr":
                definition = (child.get("title") or "").strip()
                if inside or definition in seen or not definition:
                    _unwrap(el, index)
                    continue
                seen.add(definition)
                term = child.text or ""
                button, card = term_elements(term, definition, self._unique_id(term))
                card.tail = child.tail
                el.remove(child)
                el.insert(index, button)
                el.insert(index + 1, card)
                index += 2
                continue
            self._walk(child, seen, inside or _no_terms_inside(child))
            index += 1


class GlossaryFirstUseExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # abbr's treeprocessor has priority 7; toc's 5 (so headings are clean
        # before the table of contents is built, and heading ids are made
        # unique against the popovers' ids)
        md.treeprocessors.register(FirstUseTreeprocessor(md), "glossary_first_use", 6)


def makeExtension(**kwargs) -> GlossaryFirstUseExtension:
    return GlossaryFirstUseExtension(**kwargs)
