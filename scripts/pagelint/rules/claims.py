"""Absolute health claims: each match reported at its line and column, with a
rule id and a suggested rewrite. Marked quotes of a source article (a
blockquote carrying { .seed-quote data-seed="..." }) are the articles speaking,
not the site, and are exempt; nothing else is."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..dom import ancestor, find_all, text_of


RULE_IDS = {
    "claim-cure": "promises a cure (negations such as 'there is no cure' are fine)",
    "claim-once-and-for-all": "'once and for all'",
    "claim-guarantee": "'guaranteed' and the like ('no guarantee' is fine)",
    "claim-miracle": "'miracle'",
    "claim-100-percent": "'100%'",
    "claim-safest": "'safest'",
    "claim-completely-safe": "'completely safe' and the like",
    "claim-no-side-effects": "'no side effects'",
    "claim-detox": "detox / toxins",
    "claim-immune": "boosts or improves the immune system",
    "claim-clinically-proven": "'clinically proven'",
    "claim-instant-relief": "'instant relief'",
    "seed-quote-marker": "a seed-quote marker that is malformed or not on a blockquote",
}


@dataclass(frozen=True)
class Claim:
    rule: str
    pattern: re.Pattern
    hint: str
    negatable: bool = False


CLAIMS = (
    Claim("claim-cure", re.compile(r"\bcur(e|es|ed|ing)\b", re.I),
          "no massage cures sciatica: say what it may do, e.g. 'may ease pain for a while for some people'", True),
    Claim("claim-once-and-for-all", re.compile(r"\bonce and for all\b", re.I),
          "say what is known: most sciatica improves within weeks, and it can come back"),
    Claim("claim-guarantee", re.compile(r"\bguarantee(s|d)?\b", re.I),
          "nothing is guaranteed: say 'may help some people'", True),
    Claim("claim-miracle", re.compile(r"\bmiracle\w*", re.I), "describe the effect and its evidence plainly"),
    Claim("claim-100-percent", re.compile(r"\b100\s?%|\bone hundred per ?cent\b", re.I),
          "give the real figure with its source, or leave it out"),
    Claim("claim-safest", re.compile(r"\bsafest\b", re.I),
          "compare risks with a source, e.g. 'serious side effects are rare (Cochrane 2015)'"),
    Claim("claim-completely-safe", re.compile(r"\b(completely|totally|perfectly|absolutely|100%)\s+safe\b", re.I),
          "say what the risks are and how often they happen, with a source"),
    Claim("claim-no-side-effects", re.compile(r"\bno (side[- ]effects|risks?)\b", re.I),
          "name the side effects (e.g. soreness) and how common they are"),
    Claim("claim-detox", re.compile(r"\b(detox\w*|toxins?)\b", re.I),
          "massage does not remove toxins: leave the claim out"),
    Claim("claim-immune", re.compile(r"\b(boost\w*|improv\w*|strengthen\w*|work\w* on)\s+(your\s+|the\s+)?immun(e|ity)\b", re.I),
          "no good evidence links massage to immunity: leave the claim out"),
    Claim("claim-clinically-proven", re.compile(r"\bclinically[- ]proven\b", re.I),
          "say what the studies found and how strong the evidence is, with a source"),
    Claim("claim-instant-relief", re.compile(r"\b(instant|immediate)\s+relief\b", re.I),
          "say 'some people feel a little better for a short time'"),
)

# One pass over each line finds the few lines worth the twelve patterns above
ANY_CLAIM = re.compile("|".join(f"(?:{claim.pattern.pattern})" for claim in CLAIMS), re.I)

NEGATION = re.compile(r"\b(no|not|nobody|none|cannot|can't|can ?not|never|nothing|neither|nor|without|isn't|aren't|doesn't|"
                      r"don't|won't|didn't|unlikely)\b", re.I)
MARKER = re.compile(r"\{:?[^}]*\.seed-quote\b[^}]*\}")
QUOTE_LINE = re.compile(r"^\s*>")  # indented too: quotes inside ??? blocks


COMMENT = re.compile(r"<!--.*?(-->|\Z)", re.S)


def visible_lines(text: str) -> list[str]:
    """The page's lines with HTML comments blanked out (columns kept) and
    blockquotes marked as seed quotes emptied: what is left is the site speaking."""
    masked = COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    lines = masked.split("\n")
    start = None
    for index, line in enumerate([*lines, ""]):
        if QUOTE_LINE.match(line):
            start = index if start is None else start
        elif start is not None:
            if any(MARKER.search(lines[i]) for i in range(start, index)):
                lines[start:index] = [""] * (index - start)
            start = None
    return lines


def _negated(line: str, start: int) -> bool:
    """A negation in the same clause, shortly before the match."""
    before = re.split(r"[.;:!?]", line[:start])[-1]
    return bool(NEGATION.search(" ".join(before.split()[-6:])))


def check(page, ctx):
    for index, line in enumerate(visible_lines(page.text)):
        if not ANY_CLAIM.search(line):
            continue
        for claim in CLAIMS:
            for match in claim.pattern.finditer(line):
                if claim.negatable and _negated(line, match.start()):
                    continue
                yield page.finding(index + 1, match.start() + 1, claim.rule,
                                   f"absolute claim: '{match.group(0)}'", claim.hint)

    for marked in find_all(page.tree, class_="seed-quote"):
        if ancestor(marked, "blockquote") is None or not marked.get("data-seed"):
            yield page.finding(*(page.line_of(MARKER) or (1, 1)), "seed-quote-marker",
                               "a .seed-quote marker must sit on a blockquote and name its article",
                               'write > "quote" then > { .seed-quote data-seed="003_53b669692b53e4fa.txt" }')
    if ".seed-quote" in text_of(page.tree):
        yield page.finding(*(page.line_of(MARKER) or (1, 1)), "seed-quote-marker",
                           "the seed-quote marker was not applied (it shows as text)",
                           "put the { .seed-quote ... } marker on the last line of the quoted paragraph")
