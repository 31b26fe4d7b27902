"""Printing a page from the browser (issue #14, item 7): Chromium prints
pages of the hosted build to PDF with docs/assets/stylesheets/print.css, and
the text of each printed sheet is read back with pypdf."""

from __future__ import annotations

import io
import re
import unicodedata

import pytest
from lxml import html as lxml_html

from conftest import built_path

pytestmark = pytest.mark.browser
pypdf = pytest.importorskip("pypdf")

PAGES = [
    "index.md",
    "safety/red-flags.md",
    "techniques/cupping.md",
    "course-planning/tracking-progress.md",
    "about/claims-ledger.md",
]
EMERGENCY = "Call 999 or go to A&E now"
# Material's chrome and the site's own, none of which belongs on paper
CHROME = (
    ".md-header",
    ".md-tabs",
    ".md-sidebar",
    ".md-search",
    ".md-footer",
    ".md-banner",
    ".md-content__button",
    ".page-report",
    ".md-source",
    ".md-top",
)


def url_of(base: str, src: str) -> str:
    path = built_path(src, directory_urls=True)
    return base + (path[: -len("index.html")] if path.endswith("index.html") else path)


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def printed(browser, hosted_url):
    """{src: (texts of the printed sheets, the page's chrome visibility)}."""
    context = browser.new_context()
    page = context.new_page()
    out = {}
    try:
        for src in PAGES:
            page.goto(url_of(hosted_url, src), wait_until="load")
            page.emulate_media(media="print")
            visible = {sel: page.locator(sel).first.is_visible() for sel in CHROME if page.locator(sel).count()}
            pdf = page.pdf(prefer_css_page_size=True)
            page.emulate_media(media="screen")
            reader = pypdf.PdfReader(io.BytesIO(pdf))
            box = reader.pages[0].mediabox
            out[src] = (
                [p.extract_text() for p in reader.pages],
                visible,
                (round(float(box.width)), round(float(box.height))),
            )
    finally:
        context.close()
    return out


@pytest.mark.parametrize("src", PAGES)
def test_printed_page_is_a4_without_chrome(printed, src):
    texts, visible, size = printed[src]
    assert size == (595, 842), f"{src}: printed on {size} points, not A4"
    shown = [sel for sel, is_visible in visible.items() if is_visible]
    assert not shown, f"{src}: visible in print: {shown}"
    text = words(" ".join(texts))
    for chrome in ("Report a problem with this page", "Edit this page's source", "Skip to content"):
        assert chrome not in text, f"{src}: '{chrome}' printed"


@pytest.mark.parametrize("src", PAGES)
def test_emergency_line_on_every_printed_sheet(printed, src):
    texts, _, _ = printed[src]
    for number, text in enumerate(texts, start=1):
        assert EMERGENCY in words(text), f"{src}: sheet {number} of {len(texts)} has no emergency line"
        assert f"{number} / {len(texts)}" in text, f"{src}: sheet {number} has no page number"


@pytest.mark.parametrize("src", PAGES)
def test_link_addresses_are_printed(printed, built_site, src):
    texts, _, _ = printed[src]
    squashed = re.sub(r"\s+", "", unicodedata.normalize("NFKC", " ".join(texts)))
    tree = lxml_html.parse(str(built_site / built_path(src, directory_urls=True)))
    article = tree.xpath("//article[contains(@class, 'md-content__inner')]")[0]
    hrefs = {
        a.get("href")
        for a in article.iter("a")
        if a.get("href", "").startswith("http")
        and not a.xpath("ancestor::*[contains(@class, 'page-report')]")
        and "md-content__button" not in a.get("class", "")
    }
    missing = [h for h in hrefs if re.sub(r"\s+", "", h) not in squashed]
    assert not missing, f"{src}: addresses not printed: {missing[:5]}"


@pytest.mark.parametrize("src", PAGES)
def test_no_near_empty_last_sheet(printed, built_site, src):
    """The last sheet carries text of the page itself, not only the review
    block and the footer."""
    texts, _, _ = printed[src]
    if len(texts) == 1:
        return
    # The page-margin boxes: the emergency line and "n / N"
    last = re.sub(r"Emergency\?.*?/safety/red-flags/|\b\d+ / \d+", "", words(texts[-1]))
    tree = lxml_html.parse(str(built_site / built_path(src, directory_urls=True)))
    review = " ".join(words(t) for t in tree.xpath("//aside[contains(@class,'page-review')]//text()"))
    content = last
    for part in review.split():
        content = content.replace(part, "", 1)
    assert len(content.strip()) > 80, f"{src}: the last of {len(texts)} sheets is nearly empty: {last!r}"


def test_print_footer_links_the_red_flags_page_at_site_url():
    """The footer's address (CSS cannot read mkdocs.yml) is the hosted red flags page."""
    from conftest import ROOT
    from site_helpers import check_links

    css = (ROOT / "docs/assets/stylesheets/print.css").read_text(encoding="utf-8")
    (address,) = re.findall(r"Red flags: (https://\S+?)\"", css)
    assert address == check_links.site_url().rstrip("/") + "/safety/red-flags/"
    assert (ROOT / "docs/safety/red-flags.md").is_file()


def test_an_open_glossary_definition_does_not_print(browser, hosted_url):
    """A reader who opened a term's definition and then prints: the term is
    printed as plain text, the definition card is not (print.css)."""
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(url_of(hosted_url, "techniques/cupping.md"), wait_until="load")
        term = page.locator("article .glossary-term").first
        name = term.inner_text().strip()
        term.click()
        card = page.locator("#" + term.get_attribute("popovertarget"))
        definition = words(card.locator("dfn").evaluate("d => d.nextSibling.textContent")).removeprefix(":").strip()
        assert card.is_visible() and len(definition) > 20
        page.emulate_media(media="print")
        assert not card.is_visible(), "the open definition shows in print"
        decoration = term.evaluate("t => getComputedStyle(t).textDecorationLine")
        pdf = page.pdf(prefer_css_page_size=True)
    finally:
        context.close()
    text = words(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages))
    assert decoration == "none", "the term is underlined on paper"
    assert name in text
    assert words(definition)[:40] not in text, "the definition was printed"
