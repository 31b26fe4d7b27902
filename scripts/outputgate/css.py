"""Every URL a piece of CSS would load: url(), url("..."), src(), image-set()
strings and @import, found by tinycss2's CSS Syntax Level 3 tokenizer (so
escapes, comments and odd spacing are read as a browser reads them)."""

from __future__ import annotations

from collections.abc import Iterator

import tinycss2

_URL_FUNCTIONS = {"url", "src"}
_STRING_URL_FUNCTIONS = {"image-set", "-webkit-image-set", "image", "cross-fade"}


def _walk(tokens) -> Iterator[tuple[str, str]]:
    for token in tokens or ():
        kind = token.type
        if kind == "url":
            yield "url()", token.value
        elif kind == "function":
            name = token.lower_name
            strings = [t for t in token.arguments if t.type == "string"]
            if name in _URL_FUNCTIONS and strings:
                yield f"{name}()", strings[0].value
            elif name in _STRING_URL_FUNCTIONS:
                for string in strings:
                    yield f"{name}()", string.value
            yield from _walk(token.arguments)
        elif kind in ("() block", "[] block", "{} block"):
            yield from _walk(token.content)
        elif kind == "at-rule":
            if token.lower_at_keyword == "import":
                target = next((t for t in token.prelude if t.type in ("string", "url", "function")), None)
                if target is not None and target.type == "function":
                    strings = [t for t in target.arguments if t.type == "string"]
                    target = strings[0] if strings else None
                if target is not None:
                    yield "@import", target.value
                    continue
                yield from (("@import", name) for name in [tinycss2.serialize(token.prelude).strip()])
                continue
            yield from _walk(token.prelude)
            yield from _walk(token.content)
        elif kind in ("qualified-rule",):
            yield from _walk(token.prelude)
            yield from _walk(token.content)
        elif kind == "declaration":
            yield from _walk(token.value)


def stylesheet_urls(text: str) -> list[tuple[str, str]]:
    """(how, url) for a whole stylesheet (<style> or a .css file)."""
    return list(_walk(tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)))


def declaration_urls(text: str) -> list[tuple[str, str]]:
    """(how, url) for a style="..." attribute."""
    found = list(_walk(tinycss2.parse_blocks_contents(text, skip_comments=True, skip_whitespace=True)))
    if "@import" in text.lower():
        found.append(("@import", text))
    return found
