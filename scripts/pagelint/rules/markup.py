"""Unsafe markup: scripts, frames, plug-ins, event handlers, javascript: URLs.
Judged on the rendered HTML (code samples are escaped there, so they pass)."""

from __future__ import annotations

import re

from ..dom import find_all

RULE_IDS = {"unsafe-markup": "raw <script>/<iframe>/<object>/<embed>, an on...= handler or a javascript: URL"}

TAGS = ("script", "iframe", "object", "embed")
URL_ATTRS = ("href", "src", "action", "formaction", "data", "xlink:href")


def check(page, ctx):
    for tag in find_all(page.tree, TAGS):
        yield _at(
            page,
            re.compile(rf"<{tag.tag}\b", re.I),
            f"raw <{tag.tag}> in the page",
            "remove it: pages are Markdown; interactive features belong in overrides/, reviewed",
        )
    for tag in find_all(page.tree):
        for attr, value in tag.attrib.items():
            if attr.lower().startswith("on"):
                yield _at(
                    page,
                    re.compile(rf"\b{re.escape(attr)}\s*=", re.I),
                    f"inline event handler {attr}= on <{tag.tag}>",
                    "remove the handler",
                )
            elif attr.lower() in URL_ATTRS and re.match(r"\s*javascript:", value, re.I):
                yield _at(
                    page,
                    re.compile(r"javascript:", re.I),
                    f"javascript: URL in {attr}= on <{tag.tag}>",
                    "link to a page or a https:// URL instead",
                )


def _at(page, pattern, message, hint):
    where = page.line_of(pattern, page.body_start) or (1, 1)
    return page.finding(*where, "unsafe-markup", message, hint)
