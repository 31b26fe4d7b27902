"""Every built page in real Chromium, hosted (served on 127.0.0.1) and offline
(file://), one visit each: no console errors, no request leaves the site, no
storage but the theme's palette, the emergency line visible and linking to
the red-flags page, and (hosted) no axe-core violation in either palette.

axe runs on the hosted pages only: the offline pages come from the same
templates and stylesheets and differ only in link URLs and one local script.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from browser_helpers import page_urls, sweep
from conftest import nav_pages
from site_helpers import build, check_links, copy_project

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hosted(browser, built_site, hosted_url):
    urls = page_urls(built_site, hosted_url, directory_urls=True)
    return sweep(browser, hosted_url, urls, axe=True)


@pytest.fixture(scope="module")
def offline(browser, offline_bundle, offline_url):
    _, root = offline_bundle
    # 404.html only works behind a web server (root-relative links); no page links to it
    urls = [u for u in page_urls(root, offline_url, directory_urls=False) if not u.endswith("/404.html")]
    return sweep(browser, offline_url, urls, axe=False)


@pytest.fixture(params=["hosted", "offline"])
def visit(request):
    return request.getfixturevalue(request.param)


RED_FLAGS = {"hosted": "safety/red-flags/", "offline": "safety/red-flags.html"}


def test_every_page_was_visited(visit):
    assert len(visit.pages) >= len(nav_pages())


def test_no_console_errors(visit):
    assert visit.recorder.console_errors == []


def test_no_request_leaves_the_site(visit):
    """Hosted: only the site's own origin. Offline: only file: URLs."""
    assert visit.recorder.requests, "no request recorded at all"
    assert visit.recorder.foreign() == []


def test_no_cookie_and_no_storage_but_the_palette(visit):
    """Material keeps the reader's light/dark choice in localStorage under
    "<site root path>.__palette" (its __md_scope). Anything else stored
    (its __consent, __tabs, __announce keys, or __source in sessionStorage, which
    holds facts fetched from api.github.com) means a feature or script that
    tracks state we have not chosen to keep."""
    palette_key = urlsplit(visit.base_url).path + ".__palette"
    assert visit.cookies == []
    assert visit.session_storage == []
    # The sweep switched the palette, so the key must be there: the check is not vacuous
    assert visit.local_storage == [palette_key]


def test_emergency_line_is_visible_and_links_to_red_flags(visit, request):
    mode = request.node.callspec.params["visit"]
    red_flags = visit.base_url + RED_FLAGS[mode]
    hidden = [p.url for p in visit.pages if not p.emergency_visible]
    wrong = [(p.url, p.emergency_href) for p in visit.pages if p.emergency_href != red_flags]
    assert hidden == [], "emergency line not visible at the top of the page"
    assert wrong == [], f"emergency link does not go to {red_flags}"


def test_no_accessibility_violations_light_and_dark(hosted):
    for page in hosted.pages:
        assert set(page.axe) == {"default", "slate"}, page.url
    problems = {f"{p.url} [{s}]": v for p in hosted.pages for s, v in p.axe.items() if v}
    assert problems == {}


# The checks catch their faults ---------------------------------------------------

def _sweep_copy(browser, tmp_path, edit, *, axe):
    """Build a copy of the project with one fault and sweep its home page."""
    work = copy_project(tmp_path / "repo")
    edit(work)
    site = build(work, tmp_path / "site")
    with check_links.serve(site, check_links.site_prefix(work / "mkdocs.yml")) as base:
        return sweep(browser, base, [base], axe=axe)


def test_privacy_check_catches_a_third_party_script(browser, tmp_path):
    tracker = "https://analytics.example.com/tracker.js"

    def add_tracker(work):
        partial = work / "overrides/partials/source.html"
        partial.write_text(partial.read_text() + f'<script src="{tracker}" async></script>\n')

    result = _sweep_copy(browser, tmp_path, add_tracker, axe=False)
    assert tracker in [url for _, url in result.recorder.foreign()]


def test_axe_catches_a_low_contrast_colour(browser, tmp_path):
    def grey_text(work):
        css = work / "docs/assets/stylesheets/extra.css"
        css.write_text(css.read_text() + "\n.md-typeset p { color: #aaaaaa; }\n")

    result = _sweep_copy(browser, tmp_path, grey_text, axe=True)
    (home,) = result.pages
    assert any(v.startswith("color-contrast") for v in home.axe["default"]), home.axe
