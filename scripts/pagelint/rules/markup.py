"""Unsafe markup: scripts, frames, plug-ins, event handlers, javascript: URLs.
Judged on the rendered HTML (code samples are escaped there, so they pass)."""

from __future__ import annotations

import re

RULE_IDS = {"unsafe-markup": "raw <script>/<iframe>/<object>/<embed>, an on...= handler or a javascript: URL"}

TAGS = ("script", "iframe", "object", "embed")
URL_ATTRS = ("href", "src", "action", "formaction", "data", "xlink:href")


def check(page, ctx):
    for tag in page.soup.find_all(TAGS):
        yield _at(page, re.compile(rf"<{tag.name}\b", re.I), f"raw <{tag.name}> in the page",
                  "remove it: pages are Markdown; interactive features belong in overrides/, reviewed")
    for tag in page.soup.find_all(True):
        for attr, value in tag.attrs.items():
            if attr.lower().startswith("on"):
                yield _at(page, re.compile(rf"\b{re.escape(attr)}\s*=", re.I),
                          f"inline event handler {attr}= on <{tag.name}>", "remove the handler")
            elif attr.lower() in URL_ATTRS and re.match(r"\s*javascript:", str(value), re.I):
                yield _at(page, re.compile(r"javascript:", re.I), f"javascript: URL in {attr}= on <{tag.name}>",
                          "link to a page or a https:// URL instead")


def _at(page, pattern, message, hint):
    where = page.line_of(pattern, page.body_start) or (1, 1)
    return page.finding(*where, "unsafe-markup", message, hint)
