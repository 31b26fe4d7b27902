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
from ..dom import ancestor, boxes, find_all, is_element, normalised_text
from ..findings import Severity
from . import urgency

RULE_IDS = {
    "triage-too-slow": "a sentence, list item, row or box gives a warning sign a slower action than its level in signs.yml",
    "triage-too-fast": "a sentence, list item, row or box gives a warning sign a faster action than its level (a warning)",
    "triage-box-not-card": "a box that tells readers what to do about a warning sign is not one of the site's cards",
}

CARD_LINK = re.compile(r"(?:^|/)(?:red-flags|do-i-need-urgent-help)(?:/|\.md|\.html)?(?:#[\w-]*)?$")
# Not at "?": "Weak foot? Call 111." is one instruction
SENTENCE_END = re.compile(r"(?<=[.!])\s+(?=[A-Z0-9\"'(])")
ALLOW = re.compile(r"^\s*triage-ok:\s*\S")
WHAT = {
    "emergency": "call 999 or go to A&E now",
    "urgent": "get help today (111 or an urgent GP appointment)",
    "soon": "see a GP or physiotherapist",
    "routine": "wait, or mention it at a next appointment",
}
# Pages that report what sources say to clinicians, not what a reader should
# do: the sources page's "What it found" summaries (generated from references.yml)
NOT_ADVICE = ("about/sources.md",)


@lru_cache(maxsize=4)
def _table(path: Path, mtime: float):
    return signs_table.load(path)


def table_for(ctx):
    """The site's signs table (None when the site has none: nothing to check).
    A table that breaks its schema is reported by `make signs` and the tests."""
    path = Path(ctx.site.docs_dir) / "includes/signs.yml"
    if not path.is_file():
        return None
    try:
        return _table(path, path.stat().st_mtime)
    except signs_table.TableError:
        return None


def check(page, ctx):
    table = table_for(ctx)
    if table is None or page.docs_path in NOT_ADVICE:
        return
    canonical = {text for texts in ctx.urgency_texts.values() for text in texts}
    exempt = urgency._exempt_roots(page.tree, ctx, canonical)
    exempt.update(_allowed(page.tree))
    order = signs_table.TRIAGE_LEVELS
    cursor = page.body_start
    reported: set[str] = set()
    all_boxes = set(boxes(page.tree))
    yield from _boxes_not_cards(page, table, exempt, all_boxes)
    for node, text in _units(page.tree, exempt, all_boxes):
        text = text.replace("\u2019", "'").replace("\u2018", "'")  # "can\u2019t" as "can't"
        named = [(sign, m) for sign in table.signs if (m := sign.pattern.search(text))]
        if not named:
            continue
        given = [(level, m) for level in order if (m := table.levels[level].pattern.search(text))]
        if not given or _links_to_card(node, text):
            continue
        sign, sign_match = min(named, key=lambda pair: order.index(pair[0].level))
        level, action = given[0]  # the fastest action the text gives
        need, got = order.index(sign.level), order.index(level)
        if need == got:
            continue
        key = f"{sign.id}|{text}"
        if key in reported:
            continue
        reported.add(key)
        line, col, cursor = urgency._locate(page, action.group(0), sign_match.group(0), cursor)
        if got > need:
            yield page.finding(
                line,
                col,
                "triage-too-slow",
                f"'{_short(sign_match.group(0))}' is sign '{sign.id}' (level {sign.level}: {WHAT[sign.level]}), "
                f"but the text says '{action.group(0)}' ({level})",
                f'give it the card\'s action, include the card (--8<-- "{signs_table.card_include(sign.level)}") '
                "or link to the red flags page",
            )
        else:
            yield page.finding(
                line,
                col,
                "triage-too-fast",
                f"'{_short(sign_match.group(0))}' is sign '{sign.id}' (level {sign.level}: {WHAT[sign.level]}), "
                f"but the text says '{action.group(0)}' ({level})",
                "use the card's action unless a source says this case is faster",
                severity=Severity.WARNING,
            )


def _boxes_not_cards(page, table, exempt: set, all_boxes: set):
    """A box that names a sign and an action is one of the site's cards (an
    emergency, urgent or soon box; the generated ones are included from
    urgency/), so that a warning sign always looks like one: the theme's own
    boxes (warning, note...) are small print, 12.8 px, in the theme's colours."""
    for box in all_boxes:
        if urgency._exempt(box, exempt) or set(box.get("class", "").split()) & set(signs_table.LEVELS):
            continue
        if any(a in all_boxes for a in box.iterancestors()):
            continue  # judged with its outer box
        if next(find_all(box, class_="seed-quote"), None) is not None:
            continue  # the claims ledger's boxes group claims by fate; each sentence is still checked
        text = normalised_text(box).replace("\u2019", "'")
        sign = next(((s, m) for s in table.signs if (m := s.pattern.search(text))), None)
        action = next(
            (m for level in signs_table.TRIAGE_LEVELS if (m := table.levels[level].pattern.search(text))), None
        )
        if sign is None or action is None:
            continue
        line, col, _ = urgency._locate(page, action.group(0), sign[1].group(0), page.body_start)
        yield page.finding(
            line,
            col,
            "triage-box-not-card",
            f"a '{(box.get('class', '').split() or [box.tag])[-1]}' box tells readers what to do about '{_short(sign[1].group(0))}' "
            f"(sign '{sign[0].id}', level {sign[0].level})",
            'include the card or the summary of all three (--8<-- "urgency/ladder.md"), '
            f'make it a card of its level (!!! {sign[0].level} "..."), or write it as plain text',
        )


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
            yield node, normalised_text(node) + (" " + normalised_text(head) if head is not None else "")
            continue
        context = _context(node, all_boxes)
        if node.tag == "li":
            yield node, normalised_text(node) + context
            continue
        for sentence in SENTENCE_END.split(normalised_text(node).replace("¶", "")):
            yield node, sentence + context


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
