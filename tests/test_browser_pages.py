"""Every built page in real Chromium, hosted (served on 127.0.0.1) and offline
(file://), one visit each: no console errors, no request leaves the site, no
storage but the theme's palette, the emergency line visible and linking to
the red-flags page, and (hosted) no axe-core violation in either palette.

axe runs on the hosted pages only: the offline pages come from the same
templates and stylesheets and differ only in link URLs and one local script.
"""

from __future__ import annotations

import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from browser_helpers import page_urls, sweep
from conftest import BUILD_ENV, ROOT, nav_pages
from site_helpers import build, check_links, copy_project

sys.path.insert(0, str(ROOT / "scripts"))
from pagelint.context import Context
from pagelint.rules.sections import TECHNIQUE_SECTIONS
from pagelint.siteconfig import load_site_config


def disclaimer_text(root=ROOT) -> str:
    """The canonical disclaimer, rendered from its one snippet by the page lint."""
    return Context.create(load_site_config(root / "mkdocs.yml")).disclaimer_text


def technique_sections(url: str) -> list[str]:
    """The ## sections a technique page must show (the lint's own patterns)."""
    path = urlsplit(url).path
    if "/techniques/" in path and not path.endswith(("/techniques/", "/techniques/index.html")):
        return [p.pattern for p in TECHNIQUE_SECTIONS.values()]
    return []


pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hosted(browser, built_site, hosted_url):
    urls = page_urls(built_site, hosted_url, directory_urls=True)
    return sweep(browser, hosted_url, urls, axe=True, disclaimer=disclaimer_text(), sections=technique_sections)


@pytest.fixture(scope="module")
def offline(browser, offline_bundle, offline_url):
    _, root = offline_bundle
    # 404.html only works behind a web server (root-relative links); no page links to it
    urls = [u for u in page_urls(root, offline_url, directory_urls=False) if not u.endswith("/404.html")]
    return sweep(browser, offline_url, urls, axe=False, disclaimer=disclaimer_text(), sections=technique_sections)


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


def _not_seen(pages) -> dict[str, dict]:
    """Per page, what a reader would not see: disclaimer, red-flags link, technique sections."""
    return {
        p.url: {k: v for k, v in p.visibility.items() if v and k != "disclaimerTop"}
        for p in pages
        if not p.url.endswith("404.html") and any(p.visibility[k] for k in ("disclaimer", "redFlags", "sections"))
    }


def test_disclaimer_red_flags_link_and_technique_sections_are_visible(visit):
    """Chromium, not the HTML, judges: shown (no hidden/display/visibility/
    opacity, not collapsed, not off screen, not covered), the disclaimer on
    the first screen, its text at 4.5:1 contrast or more."""
    checked = [p for p in visit.pages if not p.url.endswith("404.html")]
    assert checked and all(p.visibility for p in checked)
    assert sum(bool(technique_sections(p.url)) for p in checked) >= 6
    assert _not_seen(visit.pages) == {}


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


# Each way of hiding what a reader must see, on its own technique page of one
# copy (built with the lint hook off: the browser is the layer under test)
HIDE_STYLE = {
    "display-none": "<style>.md-typeset .admonition.note { display: none }</style>",
    "off-screen": "<style>.md-typeset .admonition.note { position: absolute; left: -9999px }</style>",
    "white-text": "<style>.md-typeset .admonition.note, .md-typeset .admonition.note * "
    "{ color: #fff !important; background: #fff !important }</style>",
    "transparent": "<style>.md-typeset .admonition.note { opacity: 0 }</style>",
    "tiny": "<style>.md-typeset .admonition.note * { font-size: 1px !important }</style>",
    # Below the header (the sweep still clicks its palette toggle)
    "covered": '<div style="position: fixed; top: 200px; left: 0; right: 0; bottom: 0; background: #fff; z-index: 3"></div>',
}
HIDE_WRAP = {
    "hidden-attribute": ("<div hidden markdown>", "</div>"),
    # Material's own hiding classes (main.css): display none; 0x0 and transparent; skip link
    "theme-class-md-toggle": ('<div class="md-toggle" markdown>', "</div>"),
    "theme-class-md-option": ('<div class="md-option" markdown>', "</div>"),
    "theme-class-md-skip": ('<div class="md-skip" markdown>', "</div>"),
    "pushed-down": ('<div style="height: 3000px"></div>', ""),
}


def test_visibility_check_catches_each_way_of_hiding(browser, tmp_path):
    work = copy_project(tmp_path / "repo")
    pages = sorted((work / "docs/techniques").glob("*.md"))
    pages = [p for p in pages if p.name != "index.md"]
    cases = list(HIDE_STYLE) + list(HIDE_WRAP) + ["collapsed-section"]
    assert len(pages) >= 5
    planted = {}
    for number, case in enumerate(cases):
        # Pages are reused once the techniques run out: copy one under a new name
        source = pages[number % len(pages)]
        page = work / "docs/techniques" / f"hide-{case}.md"
        text = source.read_text()
        include = '--8<-- "disclaimer.md"'
        if case in HIDE_STYLE:
            text = text.replace(include, include + "\n\n" + HIDE_STYLE[case] + "\n", 1)
        elif case in HIDE_WRAP:
            before, after = HIDE_WRAP[case]
            text = text.replace(include, f"{before}\n\n{include}\n\n{after}", 1)
        else:
            text = (
                text.replace(
                    "## What the evidence says",
                    "<details markdown>\n<summary>More</summary>\n\n## What the evidence says",
                    1,
                )
                + "\n\n</details>\n"
            )
        page.write_text(text)
        planted[case] = f"techniques/hide-{case}/"
    config = work / "mkdocs.yml"
    env = {k: v for k, v in BUILD_ENV.items() if k != "OFFLINE"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--no-strict", "--site-dir", str(tmp_path / "site")],
        cwd=work,
        env=dict(env, PAGELINT_HOOK="0"),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    with check_links.serve(site, check_links.site_prefix(config)) as base:
        result = sweep(
            browser,
            base,
            [base + path for path in planted.values()],
            axe=False,
            disclaimer=disclaimer_text(),
            sections=technique_sections,
        )
    missed = [
        case
        for case, report in zip(planted, result.pages, strict=True)
        if not (report.visibility["disclaimer"] if case != "collapsed-section" else report.visibility["sections"])
    ]
    assert missed == [], {c: r.visibility for c, r in zip(planted, result.pages, strict=True) if c in missed}


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
