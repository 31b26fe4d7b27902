"""Readability: Flesch-Kincaid grade of the page's own prose (textstat)."""

from __future__ import annotations

from ..findings import Severity
from .disclaimer import is_disclaimer

RULE_IDS = {"readability-grade": "the prose reads above school grade 9 (warning)"}

MAX_GRADE = 9.0
MIN_WORDS = 80  # shorter texts give grades that mean little
PROSE = ["p", "li", "td", "th", "dd", "dt", "h1", "h2", "h3", "h4", "caption"]


def prose_text(page, ctx) -> str:
    """The page's own words: no disclaimer, no seed quotes, no code, no permalinks."""
    chunks = []
    for tag in page.soup.find_all(PROSE):
        if tag.find(PROSE) is not None:  # a list item holding paragraphs: take the paragraphs
            continue
        if tag.find_parent(class_="seed-quote") or "seed-quote" in (tag.get("class") or []):
            continue
        box = tag.find_parent("div", class_="admonition")
        if box is not None and is_disclaimer(box, ctx):
            continue
        if tag.find_parent("pre"):
            continue
        text = tag.get_text(" ", strip=True).replace("¶", "").strip()
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
        yield page.finding(page.body_start + 1, 1, "readability-grade",
                           f"reading grade {grade:.1f} is above {MAX_GRADE:.0f} ({words} words)",
                           "use shorter sentences (about 20 words) and plainer words",
                           severity=Severity.WARNING)
