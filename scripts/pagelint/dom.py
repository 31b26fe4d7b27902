"""The rendered HTML as an lxml tree, and the few questions the rules ask of it.

lxml builds its tree in C: about a tenth of the time BeautifulSoup takes to
build its Python one from the same libxml2 parse, which was most of the
MkDocs hook's cost. The tree is the one BeautifulSoup(html, "lxml") gave
(same parser, same repairs), and text_of() returns the text get_text() did,
so every rule sees the page exactly as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import lxml.html
from lxml import etree

_SPACES = re.compile(r"\s+")

# Text inside these is not page text: BeautifulSoup's get_text() left it out
# (script/style/template code, ruby annotations), and so does text_of()
_NOT_TEXT = ("script", "style", "template", "rt", "rp")
# Nor is text inside an element with a `popover` attribute: a glossary term's
# definition (scripts/glossary_first_use.py), hidden until the reader opens it
# and read on its own where it matters (the claims rule reads popovers())
POPOVER = "popover"


def is_popover(node) -> bool:
    """An element with a `popover` attribute (any value: bare, "auto", "manual")."""
    return is_element(node) and node.get(POPOVER) is not None


def popovers(root) -> Iterator:
    """Every element with a `popover` attribute under root (root included), in document order."""
    return iter(_POPOVERS(root))


_POPOVERS = etree.XPath("descendant-or-self::*[@popover]")  # in C: no Python loop over the page


def parse(html: str) -> etree._Element:
    """The document's <html> element, as libxml2 repairs the fragment
    (<html><body>...</body></html>). Comments before the first element stay
    outside it, as siblings: comments() finds them there."""
    try:
        return lxml.html.document_fromstring(html)
    except etree.ParserError:
        # Nothing but comments and spaces (or nothing at all): libxml2 makes no
        # document. Keep any comments, so a disclaimer hidden in one is still found
        return lxml.html.document_fromstring(f"<html><body>{html}</body></html>")


def normalise(text: str) -> str:
    """Runs of whitespace as one space, no space at either end."""
    return _SPACES.sub(" ", text).strip()


def is_element(node) -> bool:
    """A real element, not a comment or processing instruction (their .tag is a function)."""
    return isinstance(node.tag, str)


def has_class(node, name: str) -> bool:
    return name in (node.get("class") or "").split()


def find_all(root, tag: str | tuple[str, ...] | None = None, class_: str | None = None) -> Iterator:
    """Elements under root (root included) in document order, by tag and/or class."""
    tags = (tag,) if isinstance(tag, str) else (tag or ())
    for node in root.iter(*tags) if tags else root.iter(etree.Element):
        if class_ is None or has_class(node, class_):
            yield node


def boxes(root) -> list:
    """Every box of the page in document order: admonitions (!!!, a div of
    class admonition) and collapsible blocks (???, <details>)."""
    return [
        node for node in find_all(root, ("div", "details")) if node.tag == "details" or has_class(node, "admonition")
    ]


def ancestor(node, tag: str, class_: str | None = None):
    """The nearest enclosing element with that tag (and class), or None."""
    return next((a for a in node.iterancestors(tag) if class_ is None or has_class(a, class_)), None)


def body_children(root) -> list:
    """The top-level elements of the page: the children of <body> (of the
    document itself when there is no body), comments left out."""
    body = next(root.iter("body"), None)
    return [child for child in (body if body is not None else [root]) if is_element(child)]


def comments(root) -> Iterator:
    """Every HTML comment, in document order, including those before <html>."""
    yield from reversed(list(root.itersiblings(etree.Comment, preceding=True)))
    yield from root.iter(etree.Comment)
    yield from root.itersiblings(etree.Comment)


def text_of(node, separator: str = "", strip: bool = False) -> str:
    """The node's text, as BeautifulSoup's get_text(separator, strip) gave it:
    its text pieces in document order joined by separator (strip: each piece
    stripped, blank ones dropped), leaving out comments, script/style code and
    popovers (glossary definitions: not part of the running text).
    One difference: bs4 shrank a blank piece to one space or newline and this
    keeps it whole, which no caller can tell apart (they normalise or strip, or
    search for text without spaces). Not meant for a script or style element itself."""
    pieces = _pieces(node)
    if strip:
        pieces = (piece.strip() for piece in pieces)
        pieces = [piece for piece in pieces if piece]
    return separator.join(pieces)


def normalised_text(node) -> str:
    """The one way the disclaimer's text is compared: the canonical copy,
    each page's boxes and the built site's all go through here."""
    return normalise(text_of(node, " "))


def _not_text(node) -> bool:
    return node.tag in _NOT_TEXT or node.get(POPOVER) is not None


def _pieces(node) -> list[str]:
    if is_popover(node) or any(_not_text(a) for a in node.iterancestors()):
        return []
    if next(node.iter(*_NOT_TEXT), None) is None and not _POPOVERS(node):
        return list(node.itertext())  # the usual case, all in C (itertext skips comments)
    return list(_walk(node))


def _walk(node) -> Iterator[str]:
    """itertext(), but skipping what is inside a _NOT_TEXT or popover element."""
    if not is_element(node) or _not_text(node):
        return
    if node.text:
        yield node.text
    for child in node:
        yield from _walk(child)
        if child.tail:
            yield child.tail
