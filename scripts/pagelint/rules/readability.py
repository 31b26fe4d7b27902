"""Readability: Flesch-Kincaid grade of the page's own prose (textstat)."""

from __future__ import annotations

from ..dom import has_class, text_of
from ..findings import Severity
from .disclaimer import is_disclaimer

RULE_IDS = {"readability-grade": "the prose reads above school grade 9 (warning)"}

MAX_GRADE = 9.0
MIN_WORDS = 80  # shorter texts give grades that mean little
PROSE = ["p", "li", "td", "th", "dd", "dt", "h1", "h2", "h3", "h4", "caption"]


def _left_out(tag, ctx, disclaimers: dict) -> bool:
    """Inside a seed quote, a <pre>, or an admonition whose nearest box is the disclaimer.
    One walk up the ancestors answers all three."""
    if has_class(tag, "seed-quote"):
        return True
    nearest_box = True
    for parent in tag.iterancestors():
        if parent.tag == "pre" or has_class(parent, "seed-quote"):
            return True
        if nearest_box and parent.tag == "div" and has_class(parent, "admonition"):
            nearest_box = False
            # Keyed by the element itself, not id(): lxml makes its Python objects on
            # demand, so an id can come back for another element once one is freed
            if parent not in disclaimers:
                disclaimers[parent] = is_disclaimer(parent, ctx)
            if disclaimers[parent]:
                return True
    return False


def prose_text(page, ctx) -> str:
    """The page's own words: no disclaimer, no seed quotes, no code, no permalinks."""
    chunks = []
    disclaimers: dict = {}
    for tag in page.tree.iter(*PROSE):
        # A list item holding paragraphs: take the paragraphs
        if next(tag.iterdescendants(*PROSE), None) is not None:
            continue
        if _left_out(tag, ctx, disclaimers):
            continue
        text = text_of(tag, " ", strip=True).replace("¶", "").strip()
        if text:
            # Headings and table cells often lack a full stop; end them so they count as sentences
            chunks.append(text if text[-1] in ".!?:" else text + ".")
    return " ".join(chunks)


def page_stats(page, ctx) -> tuple[float, int]:
    import textstat  # here, not at the top: only this rule needs it, and it is slow to load

    text = prose_text(page, ctx)
    words = textstat.lexicon_count(text)
    return (textstat.flesch_kincaid_grade(text) if words else 0.0), words


def check(page, ctx):
    grade, words = page.grade, page.words = page_stats(page, ctx)
    if words >= MIN_WORDS and grade > MAX_GRADE:
        yield page.finding(
            page.body_start + 1,
            1,
            "readability-grade",
            f"reading grade {grade:.1f} is above {MAX_GRADE:.0f} ({words} words)",
            "use shorter sentences (about 20 words) and plainer words",
            severity=Severity.WARNING,
        )
