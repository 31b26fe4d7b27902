"""A worried reader on a phone (issue #14 items 1, 2, 4, 5, 6), in Chromium:

- urgency cards: the emergency card first under the red-flags title and
  inside the first screen of a 390x844 phone, body-size text, each level its
  own colour and icon; tap-to-call numbers in the banner and the cards, big
  enough for a thumb;
- one emergency message on the first screen of an ordinary page, and a
  quiet disclaimer at body size;
- glossary terms marked once a page, never in headings or links, and their
  tooltips open on a tap;
- tables on the tracking page fit a 390 px phone; no page scrolls sideways
  at 200% text on a 320 px screen; no Tab stop on the closed drawer;
- page titles at full contrast and normal weight, contributor links quieter.
"""

from __future__ import annotations

import re

import pytest
from lxml import html as lxml_html

from browser_helpers import PHONE, goto, new_context, page_urls
from conftest import nav_pages

pytestmark = pytest.mark.browser

RED_FLAGS = "safety/red-flags/"
ORDINARY = "techniques/cupping/"
TRACKING = "course-planning/tracking-progress/"
PHONE_HEIGHT = PHONE["viewport"]["height"]
# A thumb's target (WCAG 2.5.5 and Apple/Android guidance)
TAP = 44


@pytest.fixture(scope="module")
def phone(browser, hosted_url):
    """open(path) -> a page in one phone context; checks console and requests at the end."""
    context, recorder = new_context(browser, hosted_url, **PHONE, color_scheme="light")
    page = context.new_page()

    def open_(path: str):
        goto(page, recorder, hosted_url + path)
        return page

    yield open_
    context.close()
    assert recorder.console_errors == [] and recorder.foreign() == []


# 1. Urgency cards and tap-to-call ---------------------------------------------

def test_emergency_card_is_first_under_the_title_and_fits_the_first_screen(phone):
    """The card comes straight under the title, and all of it (its action
    with the tap-to-call 999 link, every sign, what to do outside the UK) is
    on the first screen of a phone, before any scrolling. Why the signs
    matter and their sources follow the card, in a collapsed note."""
    page = phone(RED_FLAGS)
    card = page.evaluate("""() => {
        const h1 = document.querySelector('article h1');
        const next = h1.nextElementSibling;
        const box = el => { const r = el.getBoundingClientRect(); return [r.top, r.bottom]; };
        return {cls: next ? next.className : null, scrolled: window.scrollY,
                card: next ? box(next) : null,
                call: next && next.querySelector('.admonition-title a[href="tel:999"]') ? true : false,
                signs: next ? next.querySelectorAll('li').length : 0,
                after: next && next.nextElementSibling ? next.nextElementSibling.tagName + '.' + next.nextElementSibling.className : null};
    }""")
    assert card["cls"] == "admonition emergency", f"first thing under the title is {card['cls']!r}"
    assert card["scrolled"] == 0
    assert card["call"], "the card's title has no tap-to-call 999 link"
    assert card["signs"] >= 8, f"the card lists {card['signs']} signs"
    top, bottom = card["card"]
    assert 0 < top and bottom <= PHONE_HEIGHT, \
        f"the card runs from {top:.0f} to {bottom:.0f} px; the first screen ends at {PHONE_HEIGHT} px"
    assert card["after"] == "DETAILS.note emergency-notes", f"the card is followed by {card['after']!r}, not its collapsed note"


def test_urgency_cards_are_body_size_and_look_different(phone):
    page = phone(RED_FLAGS)
    cards = page.evaluate("""() => {
        const body = parseFloat(getComputedStyle(document.querySelector('article > p')).fontSize);
        return ['emergency', 'urgent', 'soon'].map(type => {
            const card = document.querySelector('.admonition.' + type);
            if (!card) return {type, missing: true};
            const title = card.querySelector('.admonition-title');
            const item = card.querySelector('li') || card.querySelector('p:not(.admonition-title)');
            const icon = getComputedStyle(title, '::before');
            return {type, body, text: parseFloat(getComputedStyle(item).fontSize),
                    title: parseFloat(getComputedStyle(title).fontSize),
                    bar: getComputedStyle(title).backgroundColor,
                    icon: icon.maskImage || icon.webkitMaskImage};
        });
    }""")
    assert not [c["type"] for c in cards if c.get("missing")], cards
    for card in cards:
        assert card["text"] == card["body"] == 16, card
        assert card["title"] >= card["body"], card
        assert card["icon"].startswith("url("), card
    assert len({c["bar"] for c in cards}) == 3, "each level needs its own colour"
    assert len({c["icon"] for c in cards}) == 3, "each level needs its own icon"


def tel_links(page) -> list[dict]:
    return page.evaluate("""() => [...document.querySelectorAll('a[href^="tel:"]')].map(a => {
        const r = a.getBoundingClientRect();
        return {href: a.getAttribute('href'), w: r.width, h: r.height,
                where: a.closest('.md-banner') ? 'banner' : (a.closest('.admonition') || {}).className || 'text'};
    })""")


def test_banner_and_cards_have_tap_to_call_numbers_a_thumb_can_hit(phone):
    page = phone(RED_FLAGS)
    links = tel_links(page)
    where = {link["where"] for link in links}
    assert "banner" in where, links
    assert "admonition emergency" in where, links
    assert {"tel:999", "tel:111"} <= {link["href"] for link in links}
    small = [link for link in links if link["where"] != "text" and (link["w"] < TAP or link["h"] < TAP)]
    assert small == [], f"tap-to-call links smaller than {TAP}x{TAP} px"


def test_banner_is_short_on_every_page(phone):
    """At most a quarter of the phone's first screen, on any page."""
    page = phone(ORDINARY)
    height = page.evaluate("() => document.querySelector('.md-banner').getBoundingClientRect().height")
    assert height <= PHONE_HEIGHT / 4, f"banner is {height:.0f} px tall"


# 2. One emergency message per page --------------------------------------------

def test_first_screen_of_an_ordinary_page_shows_the_emergency_message_once(phone):
    """Banner, disclaimer and an emergency box used to repeat it three times."""
    page = phone(ORDINARY)
    blocks = page.evaluate("""height => {
        const seen = [];
        for (const el of document.querySelectorAll('.md-banner, article > *, article .admonition')) {
            const r = el.getBoundingClientRect();
            if (r.bottom <= 0 || r.top >= height) continue;
            const text = el.innerText;
            if (/\\b999\\b|A&E|accident and emergency/i.test(text) && !seen.some(s => s.el.contains(el)))
                seen.push({el, name: el.className || el.tagName});
        }
        return seen.map(s => s.name);
    }""", PHONE_HEIGHT)
    assert len(blocks) == 1, f"the emergency message appears {len(blocks)} times on the first screen: {blocks}"


def test_disclaimer_is_quiet_and_body_size(phone):
    page = phone(ORDINARY)
    box = page.evaluate("""() => {
        const box = document.querySelector('article .disclaimer .admonition');
        const p = box.querySelector('p:not(.admonition-title)');
        const body = document.querySelector('article > p');
        return {text: parseFloat(getComputedStyle(p).fontSize),
                body: parseFloat(getComputedStyle(body).fontSize),
                background: getComputedStyle(box).backgroundColor,
                icon: getComputedStyle(box.querySelector('.admonition-title'), '::before').display};
    }""")
    assert box["text"] == box["body"], box
    assert box["icon"] == "none", "the disclaimer has no alarm icon"
    assert box["background"] in ("rgba(0, 0, 0, 0)", "transparent"), box


# 4. Glossary: tooltips on touch ---------------------------------------------------

def test_glossary_tooltip_opens_on_tap(phone):
    page = phone("causes/what-is-sciatica/")
    term = page.locator("article abbr").first
    definition = term.get_attribute("title") or term.evaluate("e => e.dataset.mdTitle || ''")
    term.scroll_into_view_if_needed()
    term.tap()
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for(state="visible", timeout=3_000)
    assert tooltip.inner_text().strip()[:40] == definition.strip()[:40]


# 5. Phones and zoom ---------------------------------------------------------------

def test_tracking_tables_fit_a_phone(phone):
    page = phone(TRACKING)
    tables = page.evaluate("""() => [...document.querySelectorAll('article table')].map(t => {
        const wrap = t.closest('.md-typeset__scrollwrap') || t.parentElement;
        return {cols: t.rows[0].cells.length, table: [t.scrollWidth, t.clientWidth],
                wrap: [wrap.scrollWidth, wrap.clientWidth]};
    })""")
    assert len(tables) >= 2, tables
    for table in tables:
        assert table["table"][0] <= table["table"][1] + 1 and table["wrap"][0] <= table["wrap"][1] + 1, table


def test_a_table_too_wide_for_the_screen_shows_that_it_scrolls(phone):
    """Tables scroll inside their own box, with a shadow at the edge that has more."""
    page = phone(TRACKING)
    style = page.evaluate("() => getComputedStyle(document.querySelector('article table')).backgroundImage")
    assert style.count("gradient") == 4, style


def _sideways(page, width: int) -> int:
    return page.evaluate("w => document.documentElement.scrollWidth - w", width)


def test_no_page_scrolls_sideways_at_200_percent_text_on_320px(browser, built_site, hosted_url):
    """Text doubled as a phone's large-text setting does (Chromium's default
    font size 32 px instead of 16), on a 320 px screen, every page."""
    options = dict(PHONE, viewport={"width": 320, "height": 640})
    context, recorder = new_context(browser, hosted_url, **options)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Page.enable")
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    wide = {}
    try:
        for url in page_urls(built_site, hosted_url, directory_urls=True):
            if url.endswith("404.html"):
                continue
            goto(page, recorder, url)
            root_px = page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")
            assert root_px >= 38, f"text was not enlarged ({root_px} px)"
            extra = _sideways(page, 320)
            if extra > 0:
                wide[url.removeprefix(hosted_url)] = extra
    finally:
        context.close()
    assert wide == {}, f"pages scrolling sideways (px too wide): {wide}"


def test_zoom_check_catches_a_page_that_scrolls_sideways(browser, hosted_url):
    context, recorder = new_context(browser, hosted_url, **PHONE)
    page = context.new_page()
    try:
        goto(page, recorder, hosted_url + ORDINARY)
        page.add_style_tag(content=".page-review dl { grid-template-columns: 40em 1fr; }")
        assert _sideways(page, PHONE["viewport"]["width"]) > 0
    finally:
        context.close()


def _tab_stops(page, presses: int) -> list[dict]:
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    stops = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("""() => {
            const el = document.activeElement, r = el.getBoundingClientRect();
            return {tag: el.tagName, text: (el.innerText || el.getAttribute('aria-label') || '').trim().slice(0, 40),
                    inDrawer: !!el.closest('.md-sidebar--primary'), right: r.right, left: r.left};
        }"""))
    return stops


@pytest.mark.parametrize("path", ["", RED_FLAGS, TRACKING, "about/"])
def test_no_tab_stop_on_the_closed_drawer(phone, path):
    page = phone(path)
    stops = _tab_stops(page, 25)
    hidden = [s for s in stops if s["inDrawer"] or s["right"] <= 0]
    assert hidden == [], f"Tab lands on the closed, off-screen drawer: {hidden[:5]}"
    # The drawer still works when opened: its links are reachable then
    page.locator("label.md-header__button[for=__drawer]").click()
    page.wait_for_timeout(400)
    reachable = page.evaluate("""() => [...document.querySelectorAll('.md-sidebar--primary a')]
        .some(a => a.checkVisibility({visibilityProperty: true}))""")
    assert reachable, "the opened drawer's links are not visible"
    page.keyboard.press("Escape")


def test_drawer_check_catches_a_focusable_off_screen_drawer(phone):
    """Without the fix (visibility back to visible), Tab reaches the drawer."""
    page = phone("")
    page.add_style_tag(content=".md-sidebar--primary { visibility: visible !important; transition: none !important; }")
    stops = _tab_stops(page, 25)
    assert any(s["inDrawer"] for s in stops)


# 6. Readable chrome ---------------------------------------------------------------

def test_page_title_at_full_contrast_and_normal_weight(phone):
    page = phone(ORDINARY)
    title = page.evaluate("""() => {
        const h1 = getComputedStyle(document.querySelector('article h1'));
        const p = getComputedStyle(document.querySelector('article > p'));
        return {colour: h1.color, text: p.color, weight: parseInt(h1.fontWeight)};
    }""")
    assert title["colour"] == title["text"], title
    assert title["weight"] >= 400, title


def test_contributor_links_are_present_but_quieter_than_the_content(phone):
    page = phone(ORDINARY)
    links = page.evaluate("""() => {
        const size = el => parseFloat(getComputedStyle(el).fontSize);
        const body = document.querySelector('article > p');
        return {
            report: [...document.querySelectorAll('.page-report a')].map(a => [a.className, size(a), getComputedStyle(a).color]),
            edit: !!document.querySelector('a.md-content__button[href*="/edit/"]'),
            body: size(body), colour: getComputedStyle(body).color,
        };
    }""")
    assert links["edit"], "edit button missing"
    assert {name for name, _, _ in links["report"]} == {"page-report__issue", "page-report__edit"}, links
    for _, size, colour in links["report"]:
        assert size < links["body"] and colour != links["colour"], links


# Glossary markup on every built page (no browser) ------------------------------------

def _glossary_problems(html: str) -> list[str]:
    tree = lxml_html.fromstring(html)
    article = tree.find(".//article")
    problems = []
    for abbr in tree.iter("abbr"):
        ancestors = {a.tag for a in abbr.iterancestors()}
        classes = " ".join(a.get("class") or "" for a in abbr.iterancestors())
        bad = ancestors & {"h1", "h2", "h3", "h4", "h5", "h6", "a", "nav", "header", "summary"}
        if bad or "admonition-title" in classes:
            problems.append(f"{abbr.text!r} inside {sorted(bad) or 'an admonition title'}")
    titles = [a.get("title") for a in article.iter("abbr")] if article is not None else []
    repeated = sorted({t[:30] for t in titles if titles.count(t) > 1})
    problems += [f"term marked twice: {t}..." for t in repeated]
    return problems


@pytest.mark.parametrize("fault", [None, "heading", "twice"])
def test_glossary_terms_marked_once_and_never_in_headings_or_links(built_site, fault):
    pages = [p for p in built_site.rglob("*.html") if p.name != "404.html"]
    assert len(pages) >= len(nav_pages())
    marked = 0
    problems = {}
    for path in pages:
        html = path.read_text(encoding="utf-8")
        marked += html.count("<abbr")
        if fault == "heading":
            html = html.replace("</h1>", '<abbr title="x">x</abbr></h1>', 1)
        elif fault == "twice":
            html = html.replace("</article>", '<p><abbr title="y">y</abbr> <abbr title="y">y</abbr></p></article>', 1)
        found = _glossary_problems(html)
        if found:
            problems[str(path.relative_to(built_site))] = found
    assert marked > len(pages), "hardly any glossary terms: the check is vacuous"
    if fault is None:
        assert problems == {}
    else:
        assert len(problems) == len(pages), f"the check missed the injected {fault} fault"


def test_glossary_marks_the_first_use_in_reading_order(built_site):
    html = (built_site / "causes/what-is-sciatica/index.html").read_text(encoding="utf-8")
    article = lxml_html.fromstring(html).find(".//article")
    text = re.sub(r"\s+", " ", article.text_content())
    first = article.find(".//abbr")
    # The first marked term is the earliest occurrence of that word in running text
    assert first is not None
    assert text.index(first.text) <= text.index(first.text + first.tail[:10] if first.tail else first.text)
