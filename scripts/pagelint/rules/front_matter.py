"""Front matter: present, required keys, review dates, sources and seeds."""

from __future__ import annotations

import datetime as dt
import re
from difflib import get_close_matches

from ..findings import Severity
from ..references import source_key
from ..siteconfig import SECTIONS_NEEDING_SOURCES

RULE_IDS = {
    "front-matter-missing": "the page has no front matter block",
    "front-matter-yaml": "the front matter is not valid YAML",
    "front-matter-key": "a required key is missing, empty or of the wrong type",
    "front-matter-placeholder": "a value still holds a TODO placeholder",
    "description-one-sentence": "the description is more than one sentence (warning)",
    "review-date": "reviewed/next_review is not a valid date, reviewed is in the future, or the gap is wrong",
    "review-overdue": "next_review has passed",
    "review-due-soon": "next_review is within 30 days (warning)",
    "sources-missing": "a causes/techniques/safety/course-planning page cites no source",
    "source-invalid": "'sources' is not a list of registry ids",
    "source-format": "a source is written out (title/url/doi) instead of cited by its registry id",
    "source-unknown": "a source id is not in docs/includes/references.yml",
    "seeds-invalid": "seeds is not a list of seed article file names",
}

REQUIRED = ("title", "description", "reviewed", "next_review", "reviewer", "sources", "seeds")
MAX_REVIEW_GAP_YEARS = 3
DUE_SOON_DAYS = 30
SEED_FILE = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")
SENTENCE_END = re.compile(r"[.!?]\s+[A-Z]")


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def check(page, ctx):
    if any(f.rule == "front-matter-yaml" for f in page.findings):
        return  # already reported, with its line
    if not page.has_front_matter:
        yield page.finding(
            1,
            1,
            "front-matter-missing",
            "no front matter",
            "start the page with a --- block holding title, description, reviewed, "
            "next_review, reviewer, sources and seeds (--fix adds a skeleton)",
        )
        return

    meta = page.meta
    for key in REQUIRED:
        if key not in meta or meta[key] is None or (isinstance(meta[key], str) and not meta[key].strip()):
            yield page.finding(
                1,
                1,
                "front-matter-key",
                f"front matter lacks '{key}'",
                f"add '{key}:' to the front matter (see CONTRIBUTING.md, 'The page contract')",
            )

    for key, value in meta.items():
        if isinstance(value, str) and "TODO" in value:
            yield page.finding(
                page.meta_line(key),
                1,
                "front-matter-placeholder",
                f"'{key}' still holds a placeholder: {value!r}",
                f"replace the TODO in '{key}'",
            )

    for key in ("title", "description", "reviewer"):
        if key in meta and meta[key] is not None and not isinstance(meta[key], str):
            yield page.finding(
                page.meta_line(key), 1, "front-matter-key", f"'{key}' must be text", f"write '{key}' as a plain string"
            )
    description = meta.get("description")
    if isinstance(description, str) and SENTENCE_END.search(description.strip()):
        yield page.finding(
            page.meta_line("description"),
            1,
            "description-one-sentence",
            "description is more than one sentence",
            "keep it to one sentence: it becomes the search snippet and meta description",
            severity=Severity.WARNING,
        )

    yield from _check_dates(page, ctx)
    yield from _check_sources(page, ctx)
    yield from _check_seeds(page)


def _check_dates(page, ctx):
    meta = page.meta
    reviewed = _as_date(meta.get("reviewed")) if "reviewed" in meta else None
    next_review = _as_date(meta.get("next_review")) if "next_review" in meta else None
    for key, value in (("reviewed", reviewed), ("next_review", next_review)):
        if meta.get(key) is not None and value is None:
            yield page.finding(
                page.meta_line(key),
                1,
                "review-date",
                f"'{key}' is not a valid date: {meta[key]!r}",
                "write the date as YYYY-MM-DD, e.g. 2026-11-21",
            )
    if reviewed and reviewed > ctx.today:
        yield page.finding(
            page.meta_line("reviewed"),
            1,
            "review-date",
            f"reviewed ({reviewed}) is in the future",
            "set 'reviewed' to the day the page was checked",
        )
    if next_review and reviewed:
        if next_review <= reviewed:
            yield page.finding(
                page.meta_line("next_review"),
                1,
                "review-date",
                f"next_review ({next_review}) is not after reviewed ({reviewed})",
                "set next_review to a date after reviewed",
            )
        elif next_review > add_years(reviewed, MAX_REVIEW_GAP_YEARS):
            yield page.finding(
                page.meta_line("next_review"),
                1,
                "review-date",
                f"next_review ({next_review}) is more than {MAX_REVIEW_GAP_YEARS} years after reviewed",
                f"set next_review at most {MAX_REVIEW_GAP_YEARS} years after reviewed",
            )
    if next_review:
        if next_review < ctx.today:
            yield page.finding(
                page.meta_line("next_review"),
                1,
                "review-overdue",
                f"review was due on {next_review}",
                "re-check the page against its sources, then update reviewed and next_review",
            )
        elif (next_review - ctx.today).days <= DUE_SOON_DAYS:
            yield page.finding(
                page.meta_line("next_review"),
                1,
                "review-due-soon",
                f"review is due on {next_review}",
                "plan the page's review",
                severity=Severity.WARNING,
            )


def _check_sources(page, ctx):
    """sources: [id, ...]: ids of entries in the registry (docs/includes/references.yml)."""
    sources = page.meta.get("sources")
    line = page.meta_line("sources")
    registry = ctx.site.registry
    if "sources" in page.meta and sources is not None and not isinstance(sources, list):
        yield page.finding(
            line,
            1,
            "source-invalid",
            "'sources' must be a list of source ids",
            "write e.g. sources: [nice-ng59, nhs-sciatica] (ids from docs/includes/references.yml)",
        )
        return
    if page.section in SECTIONS_NEEDING_SOURCES and not sources:
        yield page.finding(
            line,
            1,
            "sources-missing",
            f"pages in {page.section}/ must cite at least one source",
            "add a checked source's id under 'sources:' (register a new source in docs/includes/references.yml first)",
        )
    entry_lines = _list_entry_lines(page, line)
    for number, entry in enumerate(sources or [], start=1):
        where = entry_lines[number - 1] if number <= len(entry_lines) else line
        if isinstance(entry, dict):
            known = registry.by_key.get(source_key(entry))
            hint = (
                f"write its id instead: {known}"
                if known
                else "register the source once in docs/includes/references.yml, then cite its id"
            )
            yield page.finding(
                where,
                1,
                "source-format",
                f"source {number} is written out ({entry.get('title') or entry.get('url') or entry.get('doi')!r}); "
                "pages cite sources by registry id",
                f"{hint} (e.g. sources: [nice-ng59, nhs-sciatica])",
            )
            continue
        if not isinstance(entry, str) or not entry.strip():
            yield page.finding(
                where,
                1,
                "source-invalid",
                f"source {number} is not an id: {entry!r}",
                "write each source as its id from docs/includes/references.yml",
            )
            continue
        if entry not in registry.by_id:
            yield page.finding(
                *_position(page, where, entry),
                "source-unknown",
                f"source id {entry!r} is not in docs/includes/references.yml",
                _unknown_hint(entry, registry),
            )


def _position(page, line: int, text: str) -> tuple[int, int]:
    """Line and column of an id in the front matter, from line on (a flow list may span lines)."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(text)}(?![\w-])")
    for index in range(line - 1, max(page.front_matter_lines - 1, line)):
        match = pattern.search(page.lines[index]) if index < len(page.lines) else None
        if match:
            return index + 1, match.start() + 1
    return line, 1


def _unknown_hint(entry: str, registry) -> str:
    close = get_close_matches(entry, list(registry.by_id), n=1)
    if close:
        return f"did you mean {close[0]}? Otherwise add the source to docs/includes/references.yml"
    return (
        "add the source to docs/includes/references.yml (id, authors, title, year, url or doi, ...), then cite its id"
    )


def _list_entry_lines(page, key_line: int) -> list[int]:
    """1-based lines of the '- ' items of the YAML list that starts at key_line."""
    found = []
    for index in range(key_line, page.front_matter_lines - 1):
        text = page.lines[index]
        if text and not text[0].isspace() and not text.startswith("-"):
            break  # the next top-level key
        if text.lstrip().startswith("- "):
            found.append(index + 1)
    return found


def _check_seeds(page):
    seeds = page.meta.get("seeds")
    if seeds is None:
        return
    if not isinstance(seeds, list) or not all(isinstance(s, str) and SEED_FILE.match(s) for s in seeds):
        yield page.finding(
            page.meta_line("seeds"),
            1,
            "seeds-invalid",
            f"seeds must list seed article file names, got {seeds!r}",
            "e.g. seeds: [003_53b669692b53e4fa.txt], or seeds: [] for none",
        )
