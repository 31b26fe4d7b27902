"""Python-Markdown extension: a glossary term is marked once per page.

The `abbr` extension (with the glossary appended to every page by
pymdownx.snippets) wraps every occurrence of every term in <abbr title>,
which Material shows as a dotted underline and a tooltip. On a page where
"sciatica" appears forty times that looks like forty broken links. This
treeprocessor runs right after `abbr` and keeps only the first <abbr> of
each term on the page, in reading order, and none at all:

- in headings (h1-h6: the page title, and the table of contents built from
  them, run after this);
- in link text (a tooltip inside a link fights the link for the tap);
- in admonition titles and <summary> (titles, not running text);
- in code.

Terms are told apart by their definition, so "sciatica" and "Sciatica"
(defined alike) count as one term. Plain Markdown: no MkDocs hook, so the
page lint (which renders pages with the same extensions) and any other
Python-Markdown tool see what the site shows. Enable it after `abbr`:

    markdown_extensions:
      - abbr
      - glossary_first_use

`scripts/` is on the virtual environment's path (the Makefile writes a
.pth file), so MkDocs finds the module by name.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
NO_TERMS = HEADINGS | {"a", "code", "pre", "summary"}


def _no_terms_inside(el: etree.Element) -> bool:
    return el.tag in NO_TERMS or "admonition-title" in (el.get("class") or "").split()


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


class FirstUseTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        self._walk(root, set(), inside=False)

    def _walk(self, el: etree.Element, seen: set[str], inside: bool) -> None:
        index = 0
        while index < len(el):
            child = el[index]
            if child.tag == "abbr":
                term = (child.get("title") or "").strip()
                if inside or term in seen:
                    _unwrap(el, index)
                    continue
                seen.add(term)
            else:
                self._walk(child, seen, inside or _no_terms_inside(child))
            index += 1


class GlossaryFirstUseExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # abbr's treeprocessor has priority 7; toc's 5 (so headings are clean
        # before the table of contents is built)
        md.treeprocessors.register(FirstUseTreeprocessor(md), "glossary_first_use", 6)


def makeExtension(**kwargs) -> GlossaryFirstUseExtension:  # noqa: N802 (Python-Markdown's name)
    return GlossaryFirstUseExtension(**kwargs)
