"""Every mention of a warning sign gives it its level (issue #24).

The signs table (docs/includes/signs.yml) knows each sign's level: emergency
(999 or A&E now), urgent (get help today), soon (book a GP or physio). A
sentence, a list item (read with its box's title and the sentence that
introduces its list), a table row (with its header) or a box that names a
sign, by its words or lay words, together with an action, must give that
action at the sign's level or faster, or link to the red flags page (or the
"Do I need urgent help?" checker) where the card is. A slower action is an
error: "See a doctor if you have new weakness in your leg" tells a reader with
new foot drop to book a routine appointment, when the urgent card says today.
A faster action is a warning: it may frighten people into A&E.

The cards themselves, the disclaimer, code and marked seed quotes are exempt;
so is a block right after `<!-- triage-ok: reason -->` (a rare, reasoned
exception that a reviewer can see)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .. import signs as signs_table
from ..dom import ancestor, boxes, find_all, has_class, is_element, normalised_text
from ..findings import Severity
from . import urgency
from .disclaimer import is_disclaimer

RULE_IDS = {
    "triage-too-slow": "a sentence, list item, row or box gives a warning sign a slower action than its level in signs.yml",
    "triage-too-fast": "a sentence, list item, row or box gives a warning sign a faster action than its level (a warning)",
    "triage-box-not-card": "a box that tells readers what to do about a warning sign is not one of the site's open cards",
    "signs-table-invalid": "docs/includes/signs.yml breaks its schema, so the triage rules cannot run",
}

CARD_LINK = re.compile(r"(?:^|/)(?:red-flags|do-i-need-urgent-help)(?:/|\.md|\.html)?(?:#[\w-]*)?$")
# Not at "?": "Weak foot? Call 111." is one instruction
SENTENCE_END = re.compile(r"(?<=[.!])\s+(?=[A-Z0-9\"'(])")
# A reason a reviewer can weigh: at least three words
ALLOW = re.compile(r"^\s*triage-ok:\s*\S+\s+\S+\s+\S+")
WHAT = {
    "emergency": "call 999 or go to A&E now",
    "urgent": "get help today (111 or an urgent GP appointment)",
    "soon": "see a GP or physiotherapist",
    "routine": "wait, or mention it at a next appointment",
}
# The claims ledger: its boxes group the seed articles' quoted claims by fate
LEDGER = "about/claims-ledger.md"
# Pages that report what sources say to clinicians, not what a reader should
# do: the sources page's "What it found" summaries (generated from references.yml)
NOT_ADVICE = ("about/sources.md",)


@lru_cache(maxsize=4)
def _table(path: Path, mtime: float):
    return signs_table.load(path)


def table_for(ctx):
    """The site's signs table, or None when the site has none (nothing to
    check). Raises signs.TableError when the table breaks its schema."""
    path = Path(ctx.site.docs_dir) / "includes/signs.yml"
    if not path.is_file():
        return None
    return _table(path, path.stat().st_mtime)


def check(page, ctx):
    try:
        table = table_for(ctx)
    except signs_table.TableError as exc:
        # The rules cannot run without the table: say so on every page that
        # shows a card, rather than pass the pages unchecked
        if '--8<-- "urgency/' in page.text:
            yield page.finding(page.body_start, 1, "signs-table-invalid", str(exc), "fix the table; see `make signs`")
        return
    if table is None or page.docs_path in NOT_ADVICE:
        return
    canonical = {text for texts in ctx.urgency_texts.values() for text in texts}
    exempt = urgency._exempt_roots(page.tree, ctx, canonical)
    allowed = _allowed(page.tree)
    exempt.update(allowed)
    all_boxes = set(boxes(page.tree))
    candidates = _candidate_boxes(page.tree)
    yield from _boxes_not_cards(page, ctx, table, allowed, candidates)
    # What was reported (sign, slower?, text), the blocks reported as too slow,
    # and where in the source to look for the next finding's line
    state = {"reported": set(), "slow": [], "cursor": page.body_start}
    for node, text in _units(page.tree, exempt, all_boxes):
        yield from _judge(page, table, node, text, state, faster_too=True)
    # Read whole too: a box, a paragraph, a heading with the block under it, a
    # list with the paragraph before it. A sign in one sentence and a slower
    # action in the next ("... can be serious. Book an appointment.") is
    # still a slower action; only under-triage is judged this way
    state["cursor"] = page.body_start
    for node, text in _blocks(page.tree, exempt, candidates):
        yield from _judge(page, table, node, text, state, faster_too=False)


def _judge(page, table, node, text: str, state: dict, faster_too: bool):
    text = plain(text)
    named = _named(table, text)
    if not named:
        return
    order = signs_table.TRIAGE_LEVELS
    given = _given(table, text)
    if not given or _links_to_card(node, text):
        return
    sign, sign_match = min(named, key=lambda pair: order.index(pair[0].level))
    level, action = given[0]  # the fastest action the text gives
    need, got = order.index(sign.level), order.index(level)
    if need == got or (got < need and not faster_too):
        return
    key = (sign.id, got > need, text)
    if key in state["reported"]:
        return
    if got > need and any(found_in(node, other) for other in state["slow"]):
        return  # a sentence of this block was already reported
    state["reported"].add(key)
    line, col, state["cursor"] = urgency._locate(page, action.group(0), sign_match.group(0), state["cursor"])
    said = f"'{_short(sign_match.group(0))}' is sign '{sign.id}' (level {sign.level}: {WHAT[sign.level]}), "
    if got > need:
        state["slow"].append(node)
        yield page.finding(
            line,
            col,
            "triage-too-slow",
            said + f"but the text says '{action.group(0)}' ({level})",
            f'give it the card\'s action, include the card (--8<-- "{signs_table.card_include(sign.level)}") '
            "or link to the red flags page",
        )
    else:
        yield page.finding(
            line,
            col,
            "triage-too-fast",
            said + f"but the text says '{action.group(0)}' ({level})",
            "use the card's action unless a source says this case is faster",
            severity=Severity.WARNING,
        )


def _given(table, text: str) -> list:
    """(level, match) for each level whose actions the text gives, fastest first."""
    return [(level, m) for level in signs_table.TRIAGE_LEVELS if (m := table.levels[level].pattern.search(text))]


def found_in(node, other) -> bool:
    """Whether other is node or inside it."""
    return other is node or any(a is node for a in other.iterancestors())


NEGATED = re.compile(r"\b(?:not|no|without|never)\s+(?:\w+\s+)?$", re.I)


def plain(text: str) -> str:
    """Text as a reader takes it in: no invisible characters, one apostrophe."""
    return text.translate(signs_table.INVISIBLE).translate(signs_table.APOSTROPHES)


def _named(table, text: str) -> list:
    """(sign, match) for each sign the text names, skipping a negated mention
    ("one leg, not both legs")."""
    named = []
    for sign in table.signs:
        for m in sign.pattern.finditer(text):
            if not NEGATED.search(text[max(0, m.start() - 30) : m.start()]):
                named.append((sign, m))
                break
    return named


def _node_text(node) -> str:
    """A block's text, with the number behind a tap-to-call link ("[Ring now](tel:999)")."""
    numbers = [a.get("href", "")[4:] for a in find_all(node, "a") if a.get("href", "").startswith("tel:")]
    return " ".join([normalised_text(node), *numbers])


def _candidate_boxes(tree) -> list:
    """Everything the theme draws as a box: any element of class admonition
    (a div from !!!, or an aside, section or p given the class by hand) and
    every <details> (???)."""
    return [n for n in tree.iter() if is_element(n) and (n.tag == "details" or has_class(n, "admonition"))]


def _levels_of(box) -> set:
    return set(box.get("class", "").split()) & set(signs_table.LEVELS)


def _boxes_not_cards(page, ctx, table, allowed: set, candidates: list):
    """A box that tells readers what to do about a sign is one of the site's
    cards: an open emergency, urgent or soon box (the generated ones come from
    urgency/), so that a warning sign always looks like one. The theme's own
    boxes (warning, note...) are small print in the theme's colours, and a
    collapsed card hides its signs. Exempt: the generated cards' notes, the
    disclaimer, the claims ledger's boxes of quoted claims, and a box after
    <!-- triage-ok: reason -->."""
    flagged = []
    for box in candidates:
        if box in allowed or any(found_in(a, box) for a in flagged):
            continue
        classes = set(box.get("class", "").split())
        if any(c.endswith("-notes") and c.removesuffix("-notes") in signs_table.LEVELS for c in classes):
            continue
        if is_disclaimer(box, ctx):
            continue
        if page.docs_path == LEDGER and next(find_all(box, class_="seed-quote"), None) is not None:
            continue  # the ledger groups quoted claims by fate; each sentence is still checked
        if _levels_of(box) and box.tag != "details":
            continue
        hit = _first_instruction(table, box)
        if hit is None:
            continue
        sign, sign_match, action = hit
        flagged.append(box)
        line, col, _ = urgency._locate(page, action.group(0), sign_match.group(0), page.body_start)
        kind = (box.get("class", "").split() or [box.tag])[-1]
        if _levels_of(box):
            what = f"a collapsed '{kind}' card hides what to do about '{_short(sign_match.group(0))}'"
            fix = f'open it (!!! {kind} "..." instead of ??? {kind})'
        else:
            what = (
                f"a '{kind}' box tells readers what to do about '{_short(sign_match.group(0))}' "
                f"(sign '{sign.id}', level {sign.level})"
            )
            fix = (
                'include the card or the summary of all three (--8<-- "urgency/ladder.md"), '
                f'make it a card of its level (!!! {sign.level} "..."), or write it as plain text'
            )
        yield page.finding(line, col, "triage-box-not-card", what, fix)


def _first_instruction(table, box):
    """(sign, sign match, action match) for the first sentence, list item or
    row of the box (read with the box's title) that names a sign and an action."""
    boxes_here = set(_candidate_boxes(box))
    for _, text in _units(box, boxes_here - {box}, boxes_here):
        text = plain(text)
        named, given = _named(table, text), _given(table, text)
        if named and given:
            return (*named[0], given[0][1])
    return None


def _units(tree, exempt: set, all_boxes: set):
    """(node, text) for each sentence, list item, table row and box a reader
    takes in as one, with the words that give it its action: a list item is
    read with its box's title and the sentence that introduces its list."""
    for node in find_all(tree, ("p", "li", "tr", "h2", "h3", "h4", "h5", "h6", "summary", "dt", "dd")):
        if urgency._exempt(node, exempt):
            continue
        if node.tag == "p" and ancestor(node, "li") is not None:
            continue  # read with its list item
        if node.tag == "tr":
            if ancestor(node, "thead") is not None:
                continue
            table = ancestor(node, "table")
            head = next(find_all(table, "thead"), None) if table is not None else None
            yield node, _node_text(node) + (" " + normalised_text(head) if head is not None else "")
            continue
        context = _context(node, all_boxes)
        if node.tag == "li":
            yield node, _node_text(node) + context
            continue
        for sentence in SENTENCE_END.split(_node_text(node).replace("¶", "")):
            yield node, sentence + context


def _blocks(tree, exempt: set, candidates: list):
    """(node, text) for each block read whole: a box (with its title), a
    paragraph of several sentences, a heading with the block under it, and a
    list with the whole paragraph before it."""
    for node in candidates:
        if not urgency._exempt(node, exempt):
            yield node, _node_text(node)
    for node in find_all(tree, ("p", "h2", "h3", "h4", "h5", "h6", "ul", "ol")):
        if urgency._exempt(node, exempt) or ancestor(node, "li") is not None:
            continue
        if node.tag == "p":
            yield node, _node_text(node)
        elif node.tag in ("ul", "ol"):
            before = urgency._previous_element(node)
            if before is not None and before.tag == "p" and not urgency._exempt(before, exempt):
                yield node, _node_text(before) + " " + _node_text(node)
        else:
            following = urgency._next_element(node)
            if following is not None and not following.tag.startswith("h") and not urgency._exempt(following, exempt):
                yield node, _node_text(node) + " " + _node_text(following)


def _context(node, all_boxes: set) -> str:
    """The words around a block that give its action: its box's title, and for
    a list item the sentence just before its list ("See a GP if you have:")."""
    words = ""
    box = next((a for a in node.iterancestors() if a in all_boxes), None)
    if box is not None:
        title = next(find_all(box, "p", "admonition-title"), None)
        summary = next(find_all(box, "summary"), None)
        for part in (title, summary):
            if part is not None and part is not node:
                words += " " + normalised_text(part)
    if node.tag == "li":
        lists = [a for a in node.iterancestors() if a.tag in ("ul", "ol")]
        before = urgency._previous_element(lists[-1]) if lists else None
        if before is not None and before.tag == "p":
            words += " " + SENTENCE_END.split(normalised_text(before))[-1]
    return words


def _links_to_card(node, text: str) -> bool:
    """The sentence itself (not only its paragraph) links to the red flags page or the checker."""
    for a in find_all(node, "a"):
        href, words = a.get("href", ""), normalised_text(a)
        # A link of this site (no scheme, no host), with words of its own in this sentence
        if CARD_LINK.search(href) and not re.match(r"^[a-z][a-z0-9+.-]*:|^//", href, re.I) and words and words in text:
            return True
    return False


def _allowed(tree) -> set:
    """Blocks right after a <!-- triage-ok: reason --> comment."""
    allowed = set()
    for comment in tree.iter():
        if is_element(comment) or not ALLOW.match(comment.text or ""):
            continue
        following = comment.getnext()
        while following is not None and not is_element(following):
            following = following.getnext()
        if following is not None:
            allowed.add(following)
    return allowed


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."
