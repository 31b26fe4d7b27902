"""Material's search in real Chromium, hosted and from the offline bundle
(file://, through the local iframe-worker shim): each query finds its page
among the first results, typed as a reader types it."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from browser_helpers import DESKTOP, goto, new_context, search

pytestmark = pytest.mark.browser

# Query -> the page a reader searching for it needs (hosted URL path)
QUERIES = {
    "piriformis": "causes/piriformis-syndrome/",
    "stenosis": "causes/spinal-stenosis/",
    "cauda equina": "safety/red-flags/",
    "pregnancy": "causes/pregnancy/",
    "cupping": "techniques/cupping/",
    "acupressure": "techniques/acupressure/",
    "Thai": "techniques/thai-massage/",
    "honey": "techniques/honey-massage/",
    "diary": "course-planning/tracking-progress/",
    "sciatica": "causes/what-is-sciatica/",
}
# About what the search panel shows without scrolling
TOP = 5


def offline_path(hosted_path: str) -> str:
    return hosted_path.removesuffix("/") + ".html"


def run_queries(browser, base_url: str, offline: bool) -> dict[str, list[str]]:
    """Every query typed into one page's search box; the result paths, best first."""
    context, recorder = new_context(browser, base_url, **DESKTOP)
    page = context.new_page()
    try:
        goto(page, recorder, base_url + ("index.html" if offline else ""))
        results = {}
        for query in QUERIES:
            page.locator("input.md-search__input").fill("")
            results[query] = [url.removeprefix(base_url) for url in search(page, query)]
        assert recorder.console_errors == []
        assert recorder.foreign() == []
        return results
    finally:
        context.close()


@pytest.fixture(scope="module", params=["hosted", "offline"])
def results(request, browser):
    offline = request.param == "offline"
    base = request.getfixturevalue("offline_url" if offline else "hosted_url")
    return request.param, run_queries(browser, base, offline)


@pytest.mark.parametrize("query", QUERIES)
def test_search_finds_the_page(results, query):
    mode, found = results
    expected = QUERIES[query] if mode == "hosted" else offline_path(QUERIES[query])
    top = found[query][:TOP]
    assert expected in top, f"{mode}: {query!r} -> {expected} not in the first {TOP} results: {top}"


def test_offline_search_fails_without_its_index(browser, offline_bundle, tmp_path):
    """The same search, in a copy of the bundle left without search/search_index.js."""
    _, root = offline_bundle
    broken = tmp_path / "bundle"
    shutil.copytree(root, broken)
    (broken / "search/search_index.js").unlink()
    base = broken.as_uri() + "/"
    context, recorder = new_context(browser, base, **DESKTOP)
    page = context.new_page()
    try:
        goto(page, recorder, base + "index.html")
        with pytest.raises(PlaywrightTimeout):
            search(page, "cupping", timeout=5_000)
        assert any("ERR_FILE_NOT_FOUND" in text for _, text in recorder.console_errors), recorder.console_errors
    finally:
        context.close()
