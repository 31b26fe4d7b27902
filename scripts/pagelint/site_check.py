"""Check the built site: every HTML page shows the rendered disclaimer and the
review block. Catches template regressions and pages made by plugins."""

from __future__ import annotations

from pathlib import Path

import lxml.html
from lxml import etree

from .context import Context
from .dom import find_all, normalised_text
from .findings import Finding
from .siteconfig import find_config, load_site_config

# The theme's "page not found" page has no content to disclaim or review
NOT_CONTENT = {"404.html"}


def _content(raw: bytes):
    """The part of a built page to check: its <article>, where the theme puts
    the page's content (the navigation around it, most of each page on a large
    site, is never searched), or the whole page when it has none."""
    try:
        document = lxml.html.document_fromstring(raw)
    except etree.ParserError:  # an empty file: an empty page, which fails both checks
        return etree.Element("html")
    article = next(document.iter("article"), None)
    return article if article is not None else document


def check_site(site_dir: Path, ctx: Context | None = None) -> list[Finding]:
    ctx = ctx or Context.create(load_site_config(find_config(Path.cwd())))
    findings = []
    for page in sorted(Path(site_dir).rglob("*.html")):
        rel = page.relative_to(site_dir).as_posix()
        if rel in NOT_CONTENT:
            continue
        content = _content(page.read_bytes())
        boxes = find_all(content, "div", "admonition")
        if not any(normalised_text(b) == ctx.disclaimer_text for b in boxes):
            findings.append(
                Finding(
                    str(page),
                    1,
                    1,
                    "site-disclaimer",
                    "built page lacks the disclaimer",
                    "check the page's source and overrides/: every page must render it",
                )
            )
        if next(find_all(content, "aside", "page-review"), None) is None:
            findings.append(
                Finding(
                    str(page),
                    1,
                    1,
                    "site-review-block",
                    "built page lacks the review block",
                    "check overrides/partials/page-review.html and the page's front matter",
                )
            )
    return findings
