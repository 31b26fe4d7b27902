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


def check_site(site_dir: Path, ctx: Context | None = None) -> list[Finding]:
    ctx = ctx or Context.create(load_site_config(find_config(Path.cwd())))
    findings = []
    for page in sorted(Path(site_dir).rglob("*.html")):
        rel = page.relative_to(site_dir).as_posix()
        if rel in NOT_CONTENT:
            continue
        soup = BeautifulSoup(page.read_bytes(), HTML_PARSER)
        content = soup.select_one("article") or soup
        boxes = content.select("div.admonition")
        if not any(normalise(b.get_text(" ")) == ctx.disclaimer_text for b in boxes):
            findings.append(Finding(str(page), 1, 1, "site-disclaimer", "built page lacks the disclaimer",
                                    "check the page's source and overrides/: every page must render it"))
        if content.select_one("aside.page-review") is None:
            findings.append(Finding(str(page), 1, 1, "site-review-block", "built page lacks the review block",
                                    "check overrides/partials/page-review.html and the page's front matter"))
    return findings
