"""Front-matter values are text: no HTML tags and no character references.
The theme prints title, description, author and the review block's values
into the page head, the navigation and the footer; the templates escape them
(overrides/main.html), and this rule keeps markup out of the source."""

from __future__ import annotations

import re

RULE_IDS = {"front-matter-markup": "a front-matter value holds HTML markup or a character reference"}

MARKUP = re.compile(r"<\s*[A-Za-z!/?]|&(#\d+|#x[0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def check(page, ctx):
    for key, value in page.meta.items():
        for text in _strings(value):
            match = MARKUP.search(text)
            if match:
                yield page.finding(
                    page.meta_line(str(key)),
                    1,
                    "front-matter-markup",
                    f"'{key}' holds markup: {match.group(0)!r}",
                    "front matter is plain text: write the words without HTML tags or &...; codes (use 'and' for &)",
                )
                break
