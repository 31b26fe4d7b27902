"""Citations in the text: every inline link to a source is one of the page's
cited registry entries, and no page types its own Sources list (the theme
renders it from front matter ids: overrides/partials/page-sources.html)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..dom import find_all, text_of
from ..references import is_source_host

RULE_IDS = {
    "source-not-cited": "an inline link goes to a registered source that the page's 'sources:' does not list",
    "source-unregistered": "an inline link goes to a source-like site (doi.org, nice.org.uk, nhs.uk...) not in the registry",
    "sources-handwritten": "the page types its own Sources/References section (the theme renders it)",
    "include-source-not-cited": "the page includes a snippet (an urgency card) whose source links are not all in its 'sources:'",
}

HANDWRITTEN = re.compile(r"^sources$", re.I)
INCLUDE = re.compile(r"""^\s*--8<--\s*["']([^"']+)["']""")
FENCE = re.compile(r"^\s*(```|~~~)")
MD_LINK = re.compile(r"\]\((https?://[^)\s]+)\)")
# about/sources.md lists the whole registry between these markers (scripts/about_pages.py writes it)
GENERATED = ("<!-- references:start -->", "<!-- references:end -->")


def check(page, ctx):
    registry = ctx.site.registry
    cited = (
        {s for s in (page.meta.get("sources") or []) if isinstance(s, str)}
        if isinstance(page.meta.get("sources"), list)
        else set()
    )
    generated = _generated_lines(page)
    body = "\n".join(
        line
        for number, line in enumerate(page.lines[page.body_start :], page.body_start + 1)
        if number not in generated
    )
    reported: set[tuple[str, str]] = set()
    for link in find_all(page.tree, "a"):
        href = (link.get("href") or "").strip()
        parts = urlsplit(href)
        if parts.scheme not in ("http", "https"):
            continue
        # Links that come from an include (the disclaimer, the urgency cards) are the include's
        # business: only links typed in this page are checked
        raw = _as_typed(href, body)
        if raw is None:
            continue
        ref_id = registry.id_for_link(href)
        if ref_id is not None:
            if ref_id in cited or (ref_id, href) in reported:
                continue
            reported.add((ref_id, href))
            yield page.finding(
                *_where(page, raw),
                "source-not-cited",
                f"the link to {href} is source {ref_id!r}, which 'sources:' does not list",
                f"add {ref_id} to the page's sources: in the front matter",
            )
        elif is_source_host(parts.netloc):
            if ("", href) in reported:
                continue
            reported.add(("", href))
            yield page.finding(
                *_where(page, raw),
                "source-unregistered",
                f"the link to {href} looks like a source but is not in docs/includes/references.yml",
                "register the source once in docs/includes/references.yml (id, authors, title, year, "
                "url or doi, free_to_read, kind, summary, strength), cite its id in 'sources:' and link "
                "the registered URL or https://doi.org/DOI",
            )
    yield from _included_sources(page, ctx, cited)
    for heading in find_all(page.tree, "h2"):
        title = text_of(heading, " ", strip=True).rstrip("¶").strip()
        if HANDWRITTEN.match(title):
            found = page.line_of(re.compile(rf"^##\s+{re.escape(title)}\s*(\{{.*\}})?\s*$", re.I), page.body_start)
            yield page.finding(
                *(found or (page.body_start + 1, 1)),
                "sources-handwritten",
                f"the page types its own '## {title}' section",
                "delete it: list the sources' ids under 'sources:' and the theme shows the list",
            )


def _generated_lines(page) -> set[int]:
    """1-based lines written by scripts/about_pages.py, not by a person."""
    inside, lines = False, set()
    for number, line in enumerate(page.lines, start=1):
        if line.strip() == GENERATED[0]:
            inside = True
        elif line.strip() == GENERATED[1]:
            inside = False
        elif inside:
            lines.add(number)
    return lines


def _as_typed(href: str, body: str) -> str | None:
    """The link as typed in the page's own Markdown, or None if it is not there."""
    for candidate in (href, href.replace("&", "&amp;")):
        if candidate in body:
            return candidate
    return None


def _where(page, raw: str) -> tuple[int, int]:
    return page.line_of(re.compile(re.escape(raw)), page.body_start) or (page.body_start + 1, 1)


def _included_sources(page, ctx, cited: set[str]):
    """A page that shows a snippet (an urgency card) shows the snippet's citations too,
    so it lists their ids in 'sources:' and the theme's Sources list names them."""
    registry = ctx.site.registry
    in_fence = False
    for number, line in enumerate(page.lines[page.body_start :], page.body_start + 1):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        match = None if in_fence else INCLUDE.match(line)
        if not match:
            continue
        name = match.group(1)
        missing: list[str] = []
        for href in _snippet_links(ctx.site.snippet_dirs, name, set()):
            ref_id = registry.id_for_link(href)
            if ref_id is not None and ref_id not in cited and ref_id not in missing:
                missing.append(ref_id)
        if missing:
            yield page.finding(
                number,
                line.index("--8<--") + 1,
                "include-source-not-cited",
                f"the included {name!r} cites sources that 'sources:' does not list: {', '.join(missing)}",
                "add those ids to the page's sources: in the front matter; a page that shows "
                "a card lists the card's sources too",
            )


def _snippet_links(folders, name: str, seen: set[str]) -> list[str]:
    """The http(s) links typed in an included file and in the files it includes."""
    if name in seen:
        return []
    seen.add(name)
    path = next((folder / name for folder in folders if (folder / name).is_file()), None)
    if path is None:
        return []  # snippet-missing reports it
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    links = MD_LINK.findall(text)
    for line in text.splitlines():
        if match := INCLUDE.match(line):
            links += _snippet_links(folders, match.group(1), seen)
    return links
