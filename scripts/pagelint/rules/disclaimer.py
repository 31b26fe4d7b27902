"""The disclaimer: the canonical snippet, rendered as a top-level admonition
before the first ## heading. Judged on the rendered page, so a disclaimer in
an HTML comment, a code block or a collapsed ??? block does not count."""

from __future__ import annotations

import re

from ..dom import ancestor, body_children, comments, find_all, has_class, normalise, normalised_text, text_of

RULE_IDS = {
    "disclaimer-missing": "the page does not show the disclaimer",
    "disclaimer-placement": "the disclaimer is hidden (comment, code, collapsed block) or after the first ## heading",
}

INCLUDE = re.compile(r"""--8<--\s*["']?disclaimer\.md""")
HINT = 'put --8<-- "disclaimer.md" on its own line right after the # heading (--fix adds it)'


def is_disclaimer(node, ctx) -> bool:
    """An admonition whose text is the canonical disclaimer's, word for word."""
    return has_class(node, "admonition") and normalised_text(node) == ctx.disclaimer_text


def is_shown_disclaimer(node, ctx) -> bool:
    """The disclaimer as a block of the page: the admonition itself, or the
    snippet's <div class="disclaimer" data-search-exclude> wrapper around it
    (which keeps it out of the search index)."""
    if is_disclaimer(node, ctx):
        return True
    if node.tag != "div" or not has_class(node, "disclaimer"):
        return False
    inner = [child for child in node if isinstance(child.tag, str)]
    return len(inner) == 1 and is_disclaimer(inner[0], ctx)


def check(page, ctx):
    expected = normalise(ctx.disclaimer_text)
    blocks = body_children(page.tree)
    first_h2 = next((i for i, tag in enumerate(blocks) if tag.tag == "h2"), len(blocks))
    shown = [i for i, tag in enumerate(blocks) if is_shown_disclaimer(tag, ctx)]
    include_at = page.line_of(INCLUDE, page.body_start)

    if any(i < first_h2 for i in shown):
        return
    if shown:
        yield page.finding(
            *(include_at or (1, 1)), "disclaimer-placement", "the disclaimer comes after the first ## heading", HINT
        )
        return

    hidden = _hidden_copy(page, ctx, expected)
    if hidden:
        yield page.finding(
            *(include_at or (1, 1)),
            "disclaimer-placement",
            f"the disclaimer is inside {hidden}, where readers do not see it",
            HINT,
        )
        return
    yield page.finding(*_where_it_belongs(page), "disclaimer-missing", "the page has no disclaimer", HINT)


def _hidden_copy(page, ctx, expected: str) -> str | None:
    """Say where a disclaimer that does not count is hiding, if anywhere."""
    for box in find_all(page.tree, "div", "admonition"):
        if is_disclaimer(box, ctx):
            if ancestor(box, "details") is not None:
                return "a collapsed ??? block"
            return "another block (a list, quote or HTML element)"
    for code in find_all(page.tree, ("pre", "code")):
        text = text_of(code)
        if INCLUDE.search(text) or expected[:30] in normalise(text):
            return "a code block"
    for comment in comments(page.tree):
        text = comment.text or ""
        if INCLUDE.search(text) or expected[:40] in normalise(text):
            return "an HTML comment"
    return None


def _where_it_belongs(page) -> tuple[int, int]:
    heading = page.line_of(re.compile(r"^#\s"), page.body_start)
    return (heading[0] + 1, 1) if heading else (page.body_start + 1, 1)
