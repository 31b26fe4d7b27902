"""Check the built site: every HTML page shows the rendered disclaimer and the
review block. Catches template regressions and pages made by plugins."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from .context import Context, normalise
from .findings import Finding
from .page import HTML_PARSER
from .siteconfig import find_config, load_site_config

# The theme's "page not found" page has no content to disclaim or review
NOT_CONTENT = {"404.html"}


def _article(raw: bytes):
    """The page's <article> as a soup, or None. Everything checked is inside it;
    lxml finds it in C, so bs4 builds only that part, not the navigation that
    is most of each page on a large site (about 4x faster at 1,000 pages)."""
    if HTML_PARSER != "lxml":
        return BeautifulSoup(raw, HTML_PARSER).find("article")
    import lxml.html

    found = lxml.html.document_fromstring(raw).find(".//article")
    if found is None:
        return None
    return BeautifulSoup(lxml.html.tostring(found, encoding="unicode", with_tail=False), HTML_PARSER).find("article")


def check_site(site_dir: Path, ctx: Context | None = None) -> list[Finding]:
    ctx = ctx or Context.create(load_site_config(find_config(Path.cwd())))
    findings = []
    for page in sorted(Path(site_dir).rglob("*.html")):
        rel = page.relative_to(site_dir).as_posix()
        if rel in NOT_CONTENT:
            continue
        raw = page.read_bytes()
        content = _article(raw)
        if content is None:  # not a theme page: search all of it
            content = BeautifulSoup(raw, HTML_PARSER)
        boxes = content.find_all("div", class_="admonition")
        if not any(normalise(b.get_text(" ")) == ctx.disclaimer_text for b in boxes):
            findings.append(Finding(str(page), 1, 1, "site-disclaimer", "built page lacks the disclaimer",
                                    "check the page's source and overrides/: every page must render it"))
        if content.find("aside", class_="page-review") is None:
            findings.append(Finding(str(page), 1, 1, "site-review-block", "built page lacks the review block",
                                    "check overrides/partials/page-review.html and the page's front matter"))
    return findings
