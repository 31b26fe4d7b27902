"""Emergency and urgent signs are defined once, in docs/includes/urgency/, and
pages include those cards (--8<-- "urgency/emergency.md") or link to the red
flags page. A page that writes its own list fails: a hand-typed copy drifts
(an earlier disclaimer showed three of the NHS's five emergency signs).

Judged on the rendered page, like the disclaimer: a block counts as the
canonical card (or the card's note) only when its text is that block of the
rendered snippet, word for word.
Everywhere else, a paragraph (with the list it introduces or follows), list,
table or table row, admonition, or heading with the block under it fails when
it pairs an action (999, A&E, 111, emergency,
urgent...) with a cauda equina sign (bladder, bowel, genitals, saddle, anus,
both legs, sexual function), or with two or more of the same-day signs
(fever, weight loss, a lump, pain at night, past cancer, foot drop...). Marked quotes of the seed articles are exempt,
as are code blocks."""

from __future__ import annotations

import re

from ..dom import ancestor, boxes, find_all, has_class, is_element, normalised_text
from .disclaimer import is_disclaimer

RULE_IDS = {
    "urgency-list-retyped": "the page writes its own list of emergency or urgent signs instead of including urgency/*.md",
}

EMERGENCY_ACTION = re.compile(
    r"\b999\b|\bA&E\b|\bemergenc(?:y|ies)\b|\bambulance\b|\b911\b|\b112\b"
    r"|\bgo (?:straight )?to (?:a |the )?hospital\b",
    re.I,
)
URGENT_ACTION = re.compile(r"\b111\b|\burgent(?:ly)?\b|\bsame day\b", re.I)

_PEE = r"(?:pee|peeing|wee|weeing|poo|pooing|toilet)"
_TROUBLE = r"(?:start|stop|control\w*|cannot|can't|can not|unable|hard|difficult\w*|problems?|trouble|notice|feel\w*|los[et]\w*|leak\w*)"
SIGNS = {
    "bladder or bowel": re.compile(
        rf"\bbladder\b|\bbowels?\b|\burin\w*|\bincontinen\w*|\bmicturition\b|\bfaec\w*|\brect(?:al|um)\b"
        rf"|\b{_TROUBLE}\b[^.;:]{{0,40}}\b{_PEE}\b|\b{_PEE}\b[^.;:]{{0,30}}\b(?:control\w*|{_PEE})\b",
        re.I,
    ),
    "genitals, bottom or saddle area": re.compile(
        r"\bgenital\w*|\bsaddle\b|\banus\b|\banal\b|\bperine\w*|\bperianal\b|\bback passage\b|\bgroin\b"
        r"|\b(?:around|under) (?:your |the )?bottom\b",
        re.I,
    ),
    "both legs": re.compile(r"\bboth legs\b|\b(?:sciatica|leg pain|symptoms) on both sides\b|\bbilateral\b", re.I),
    "sexual function": re.compile(r"\bsexual (?:feeling|function|problems?|dysfunction)\b|\berection\b", re.I),
}

# The same-day signs of urgency/urgent.md: one alone is often mentioned in
# passing ("back pain with a fever needs a doctor the same day"); two or more
# next to an action are a retyped list
URGENT_SIGNS = {
    "fever": re.compile(r"\bhigh temperature\b|\bfever\b", re.I),
    "weight loss": re.compile(r"\blos[a-z]* weight\b|\bweight loss\b", re.I),
    "lump or changed shape": re.compile(r"\blump\b|\bchanged shape\b", re.I),
    "pain at night or at rest": re.compile(
        r"\bworse at night\b|\bnight pain\b|\b(?:better|ease\w*) (?:with|when you|after) rest", re.I
    ),
    "cancer": re.compile(r"\b(?:had|history of|past) cancer\b", re.I),
    "foot drop": re.compile(r"\bfoot drop\b|\bfoot (?:that )?(?:drags|slaps)\b", re.I),
    "between the shoulder blades": re.compile(r"\bbetween (?:your |the )?shoulder", re.I),
}

HINT = (
    'include the one definition instead: --8<-- "{include}" (or link to the red flags page, '
    "[red flags](../safety/red-flags.md), without listing signs)"
)

UNIT_TAGS = ("p", "ul", "ol", "dl", "table", "tr", "div", "details", "h1", "h2", "h3", "h4", "h5", "h6")


def check(page, ctx):
    exempt = _exempt_roots(page.tree, ctx, {text for texts in ctx.urgency_texts.values() for text in texts})
    reported: set = set()
    cursor = page.body_start
    for unit in _units(page.tree):
        if unit in reported or any(a in reported for a in unit.iterancestors()) or _exempt(unit, exempt):
            continue
        text = _text(unit, exempt)
        action = EMERGENCY_ACTION.search(text) or URGENT_ACTION.search(text)
        if action is None:
            continue
        signs = [(name, m) for name, pattern in SIGNS.items() if (m := pattern.search(text))]
        same_day = [(name, m) for name, pattern in URGENT_SIGNS.items() if (m := pattern.search(text))]
        if not signs and len(same_day) < 2:
            continue
        only_same_day = not signs
        signs = signs or same_day
        reported.add(unit)
        if unit.tag == "tr" and (table := ancestor(unit, "table")) is not None:
            reported.add(table)  # one finding per table
        # the block read with it is reported with it: one finding, not two
        if unit.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            reported.add(_next_element(unit))
        elif unit.tag == "p":
            reported.update(
                n
                for n in (_next_element(unit), _previous_element(unit))
                if n is not None and n.tag in ("ul", "ol", "dl")
            )
        include = "urgency/urgent.md" if only_same_day or not EMERGENCY_ACTION.search(text) else "urgency/emergency.md"
        line, col, cursor = _locate(page, action.group(0), signs[0][1].group(0), cursor)
        named = ", ".join(repr(_short(m.group(0))) for _, m in signs)
        yield page.finding(
            line,
            col,
            "urgency-list-retyped",
            f"the page writes its own emergency or urgent signs ('{action.group(0)}' with {named})",
            HINT.format(include=include),
        )


def _units(tree):
    """The blocks a reader takes in as one: paragraphs (with a list just
    before or after them), lists, tables (or their rows), admonitions, and
    each heading together with the block under it."""
    for node in find_all(tree, UNIT_TAGS):
        if node.tag == "div" and not has_class(node, "admonition"):
            continue
        if node.tag in ("ul", "ol") and (ancestor(node, "ul") is not None or ancestor(node, "ol") is not None):
            continue  # a nested list is read with the list around it
        yield node


def _text(node, exempt: set) -> str:
    """The unit's text; a heading is read with the block under it ("Call 999
    if:" then a list), unless that block is a canonical card."""
    if node.tag == "table":
        # A table counts as one block when its header names the action ("Call
        # 999 for | ..."); otherwise its rows are read one by one
        head = next(find_all(node, "thead"), None)
        if head is None or not (
            EMERGENCY_ACTION.search(normalised_text(head)) or URGENT_ACTION.search(normalised_text(head))
        ):
            return ""
    text = normalised_text(node)
    if node.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        following = _next_element(node)
        if following is not None and not following.tag.startswith("h") and not _exempt(following, exempt):
            text += " " + normalised_text(following)
    elif node.tag == "p" and (EMERGENCY_ACTION.search(text) or URGENT_ACTION.search(text)):
        # "Call 999 if you have any of these:" then a list, or a list then
        # "If you have any of these, call 999": the list is read with it
        for near in (_next_element(node), _previous_element(node)):
            if near is not None and near.tag in ("ul", "ol", "dl") and not _exempt(near, exempt):
                text += " " + normalised_text(near)
    return text.replace("¶", "")


def _previous_element(node):
    before = node.getprevious()
    while before is not None and not is_element(before):
        before = before.getprevious()
    return before


def _next_element(node):
    following = node.getnext()
    while following is not None and not is_element(following):
        following = following.getnext()
    return following


def _short(text: str) -> str:
    return text if len(text) <= 30 else text[:27] + "..."


def _exempt_roots(tree, ctx, canonical: set[str]) -> set:
    """What is not the page retyping signs: the canonical cards and the
    disclaimer (rendered text, word for word), code, and marked seed quotes."""
    roots = set(find_all(tree, ("pre", "code")))
    roots.update(q for q in find_all(tree, "blockquote") if next(find_all(q, class_="seed-quote"), None) is not None)
    # Compared without spaces: a glossary term is marked only at its first
    # use on a page, and a marked term's text comes out with spaces around it
    # ("( osteoporosis )"), so the same card reads differently by position
    keys = {_key(text) for text in canonical}
    roots.update(box for box in boxes(tree) if _key(normalised_text(box)) in keys or is_disclaimer(box, ctx))
    roots.update(div for div in find_all(tree, "div") if _key(normalised_text(div)) in keys)
    # A wrapper that holds only cards (<section data-search-exclude markdown>
    # around a card shown away from its home page) is one of them too;
    # innermost first, so a wrapper around a wrapper counts
    for wrapper in reversed(list(find_all(tree, ("div", "section")))):
        inner = [child for child in wrapper if is_element(child)]
        if inner and all(child in roots for child in inner):
            roots.add(wrapper)
    return roots


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _exempt(node, exempt: set) -> bool:
    return node in exempt or any(a in exempt for a in node.iterancestors())


def _locate(page, action: str, sign: str, cursor: int) -> tuple[int, int, int]:
    """The source line of a finding, as (line, column, next cursor). Blocks
    come in page order, so search from the previous finding: the first line
    holding both the sign and the action, else the first sign line with the
    action a few lines above it (a "Call 999 if" title over a list), else the
    first line with the sign."""
    # The sign's rarest word on the page finds its line best ("toilet", not "you")
    words = [w for w in re.findall(r"\w[\w&']*", sign) if len(w) > 2] or [sign]
    lines_with = {w: sum(1 for line in page.lines if w.lower() in line.lower()) for w in words}
    word = min((w for w in words if lines_with[w]), key=lambda w: lines_with[w], default=words[0])
    sign_re = re.compile(re.escape(word), re.I)
    action_re = re.compile(rf"(?<!\w){re.escape(action)}(?!\w)", re.I)
    lines = page.lines

    def hits(start):
        for index in range(start, len(lines)):
            if "--8<--" not in lines[index] and (m := sign_re.search(lines[index])):
                yield index, m.start()

    for start in (cursor, page.body_start):
        candidates = list(hits(start))
        for test in (
            lambda i: action_re.search(lines[i]),
            lambda i, start=start: any(action_re.search(lines[j]) for j in range(max(start, i - 15), i)),
        ):
            for index, col in candidates:
                if test(index):
                    return index + 1, col + 1, index + 1
        if candidates:
            index, col = candidates[0]
            return index + 1, col + 1, index + 1
    return page.body_start + 1, 1, cursor
