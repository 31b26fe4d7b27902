"""What a reader does in real Chromium, hosted and offline: move around with
the tabs and sidebar at desktop size and with the drawer on a phone, switch
to dark mode and find it kept, follow the emergency line to the red flags.
Also saves screenshots for reviewers into build/screenshots/."""

from __future__ import annotations

import re
import struct

import pytest
from playwright.sync_api import expect

from browser_helpers import DESKTOP, PHONE, emergency_line, goto, new_context, scheme, toggle_palette
from conftest import ROOT

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "build/screenshots"


@pytest.fixture(params=["hosted", "offline"])
def site(request):
    """(mode, base URL, function turning a hosted path into this mode's URL)."""
    mode = request.param
    if mode == "hosted":
        base = request.getfixturevalue("hosted_url")
        return mode, base, lambda path: base + path
    base = request.getfixturevalue("offline_url")
    _, root = request.getfixturevalue("offline_bundle")

    def url(path: str) -> str:
        # The offline plugin turns "a/b/" into "a/b.html", and a section "a/" into "a/index.html"
        if path == "" or (root / path / "index.html").is_file():
            return base + path + "index.html"
        return base + path.removesuffix("/") + ".html"

    return mode, base, url


@pytest.fixture
def open_page(browser, site):
    """open_page(path, **context options) -> page; fails the test on any
    console error or request that leaves the site."""
    _, base, url = site
    opened = []

    def _open(path: str = "", **options):
        context, recorder = new_context(browser, base, **(options or DESKTOP))
        page = context.new_page()
        goto(page, recorder, url(path))
        opened.append((context, recorder))
        return page

    yield _open
    for context, recorder in opened:
        context.close()
        assert recorder.console_errors == []
        assert recorder.foreign() == []


def pattern(url: str) -> re.Pattern:
    return re.compile(re.escape(url) + r"(#.*)?$")


def test_desktop_navigation_with_tabs_and_sidebar(open_page, site):
    _, _, url = site
    page = open_page("")
    page.locator(".md-tabs").get_by_role("link", name="Techniques", exact=True).click()
    expect(page).to_have_url(pattern(url("techniques/")))
    sidebar = page.locator("nav.md-nav--primary")
    sidebar.get_by_role("link", name="Cupping", exact=True).click()
    expect(page).to_have_url(pattern(url("techniques/cupping/")))
    expect(page.locator("article h1")).to_contain_text("Cupping")
    expect(sidebar.locator("a.md-nav__link--active")).to_contain_text("Cupping")


def test_phone_navigation_with_the_drawer(open_page, site):
    _, _, url = site
    page = open_page("", **PHONE)
    drawer = page.locator("nav.md-nav--primary")
    expect(page.locator(".md-tabs")).to_be_hidden()
    expect(drawer).not_to_be_in_viewport()
    page.locator("label.md-header__button[for=__drawer]").click()
    expect(drawer).to_be_in_viewport()
    drawer.get_by_role("link", name="Safety", exact=True).click()
    expect(page).to_have_url(pattern(url("safety/")))
    # The drawer opens on the current section: its pages are one tap away
    page.locator("label.md-header__button[for=__drawer]").click()
    link = drawer.get_by_role("link", name="Red flags - get help now", exact=True)
    expect(link).to_be_in_viewport()
    link.click()
    expect(page).to_have_url(pattern(url("safety/red-flags/")))
    expect(page.locator("article h1")).to_contain_text("Red flags")


def test_dark_mode_toggle_works_and_persists(open_page, site):
    _, _, url = site
    page = open_page("", color_scheme="light", **DESKTOP)
    assert scheme(page) == "default"
    light_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert toggle_palette(page) == "slate"
    dark_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark_bg != light_bg and luminance(dark_bg) < 0.1 < luminance(light_bg)
    page.reload()
    assert scheme(page) == "slate", "dark mode lost on reload"
    page.goto(url("techniques/cupping/"))
    assert scheme(page) == "slate", "dark mode lost on the next page"
    assert toggle_palette(page) == "default"
    page.reload()
    assert scheme(page) == "default"


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_emergency_line_link_reaches_red_flags(open_page, site, size):
    _, _, url = site
    page = open_page("techniques/cupping/", **(DESKTOP if size == "desktop" else PHONE))
    line = emergency_line(page)
    assert line["visible"] and line["top"] >= 0, line
    page.locator("#emergency-line a.emergency-line__flags").click()
    expect(page).to_have_url(pattern(url("safety/red-flags/")))
    expect(page.locator("article h1")).to_contain_text("Red flags")


def luminance(css_rgb: str) -> float:
    r, g, b = (int(x) / 255 for x in re.findall(r"\d+", css_rgb)[:3])
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


# Screenshots for reviewers ---------------------------------------------------

SHOTS = {"home": "", "cupping": "techniques/cupping/", "red-flags": "safety/red-flags/"}


@pytest.mark.parametrize("colours", ["light", "dark"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.screenshots
def test_screenshots(browser, hosted_url, size, colours):
    """Home, a technique page and the red flags, full length, as PNGs."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    options = dict(DESKTOP if size == "desktop" else PHONE, color_scheme=colours)
    context, recorder = new_context(browser, hosted_url, **options)
    page = context.new_page()
    try:
        for name, path in SHOTS.items():
            goto(page, recorder, hosted_url + path)
            assert scheme(page) == ("slate" if colours == "dark" else "default")
            assert emergency_line(page)["visible"]
            target = SCREENSHOTS / f"{name}-{size}-{colours}.png"
            # Transitions (Material fades its tabs in) are finished, not caught halfway
            page.screenshot(path=target, full_page=True, animations="disabled")
            header = target.read_bytes()[:24]
            assert header[:8] == b"\x89PNG\r\n\x1a\n"
            width = struct.unpack(">I", header[16:20])[0]
            assert width == options["viewport"]["width"]
    finally:
        context.close()
    assert recorder.console_errors == [] and recorder.foreign() == []
