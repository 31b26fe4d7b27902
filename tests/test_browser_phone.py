"""A worried reader on a phone (issue #14 items 1, 2, 4, 5, 6), in Chromium:

- urgency cards: the emergency card first under the red-flags title and
  inside the first screen of a 390x844 phone, body-size text, each level its
  own colour and icon; tap-to-call numbers in the banner and the cards, big
  enough for a thumb;
- one emergency message on the first screen of an ordinary page, and a
  quiet disclaimer at body size;
- glossary terms marked once a page, never in headings or links, and their
  definitions (native popovers) open on a tap and with the keyboard and close
  on a tap elsewhere, Escape or their Close button;
- tables on the tracking page fit a 390 px phone; no page scrolls sideways
  at 200% text on a 320 px screen; no Tab stop on the closed drawer;
- page titles at full contrast and normal weight, contributor links quieter.
"""

from __future__ import annotations

import re

import pytest
from lxml import html as lxml_html

from browser_helpers import PHONE, describe_violations, goto, new_context, page_urls, run_axe
from conftest import nav_pages
from site_helpers import AXE_JS

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


def test_emergency_card_is_first_under_the_title_and_starts_on_the_first_screen(phone):
    """The card comes straight under the title: its action with the
    tap-to-call 999 link and its first signs are on the first screen of a
    phone, before any scrolling, and the whole card within two screens. (It
    fitted one screen until the third clinical review of 7 December 2026 added
    a blocked leg artery and the NHS wording for numbness around the anus:
    complete signs come before a card that fits.) Why the signs matter and
    their sources follow the card, in a collapsed note."""
    page = phone(RED_FLAGS)
    card = page.evaluate("""() => {
        const h1 = document.querySelector('article h1');
        const next = h1.nextElementSibling;
        const box = el => { const r = el.getBoundingClientRect(); return [r.top, r.bottom]; };
        return {cls: next ? next.className : null, scrolled: window.scrollY,
                card: next ? box(next) : null,
                title: next ? box(next.querySelector('.admonition-title')) : null,
                third: next && next.querySelectorAll('li')[2] ? box(next.querySelectorAll('li')[2]) : null,
                call: next && next.querySelector('.admonition-title a[href="tel:999"]') ? true : false,
                signs: next ? next.querySelectorAll('li').length : 0,
                after: next && next.nextElementSibling ? next.nextElementSibling.tagName + '.' + next.nextElementSibling.className : null};
    }""")
    assert card["cls"] == "admonition emergency", f"first thing under the title is {card['cls']!r}"
    assert card["scrolled"] == 0
    assert card["call"], "the card's title has no tap-to-call 999 link"
    assert card["signs"] >= 8, f"the card lists {card['signs']} signs"
    top, bottom = card["card"]
    assert 0 < top and card["title"][1] <= PHONE_HEIGHT and card["third"][1] <= PHONE_HEIGHT, (
        f"the card's title ends at {card['title'][1]:.0f} px and its third sign at {card['third'][1]:.0f} px; "
        f"the first screen ends at {PHONE_HEIGHT} px"
    )
    assert bottom <= 2 * PHONE_HEIGHT, f"the card runs from {top:.0f} to {bottom:.0f} px: over two screens"
    assert card["after"] == "DETAILS.info emergency-notes", (
        f"the card is followed by {card['after']!r}, not its collapsed note"
    )


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
    blocks = page.evaluate(
        """height => {
        const seen = [];
        for (const el of document.querySelectorAll('.md-banner, article > *, article .admonition')) {
            const r = el.getBoundingClientRect();
            if (r.bottom <= 0 || r.top >= height) continue;
            const text = el.innerText;
            if (/\\b999\\b|A&E|accident and emergency/i.test(text) && !seen.some(s => s.el.contains(el)))
                seen.push({el, name: el.className || el.tagName});
        }
        return seen.map(s => s.name);
    }""",
        PHONE_HEIGHT,
    )
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


# 4. Glossary: definitions in popovers, on touch and keyboard ------------------------

GLOSSARY_PAGE = "causes/what-is-sciatica/"


def _definition_state(page, popover_id: str) -> dict:
    """The popover's state as Chromium has it: open, visible, where on screen."""
    return page.evaluate(
        """id => {
        const d = document.getElementById(id);
        const r = d.getBoundingClientRect();
        return {open: d.matches(':popover-open'), visible: d.checkVisibility(),
                box: [r.left, r.top, r.right, r.bottom], text: d.innerText.trim(),
                font: parseFloat(getComputedStyle(d).fontSize),
                body: parseFloat(getComputedStyle(document.querySelector('article > p')).fontSize),
                onClose: document.activeElement.classList.contains('glossary-close')};
    }""",
        popover_id,
    )


def _first_term(page):
    term = page.locator("article .glossary-term").first
    popover_id = term.get_attribute("popovertarget")
    assert popover_id, "the first glossary term opens no popover"
    return term, popover_id


def _plain_point(page) -> tuple[int, int]:
    """A point on the page, above any open card, where a tap does nothing but
    land on the page (no link, button, form control, header or card)."""
    point = page.evaluate("""() => {
        // Chromium moves a tap onto a tappable element near it: keep 30 px from any
        const acts = el => !el || el.closest('a, button, label, input, summary, header, .md-banner, [popover], .md-sidebar');
        for (let y = 150; y < 600; y += 10) for (const x of [100, 195, 290]) {
            const el = document.elementFromPoint(x, y);
            const near = [[-30, 0], [30, 0], [0, -30], [0, 30], [-30, -30], [30, 30], [-30, 30], [30, -30]];
            if (el && el.closest('article') && !acts(el) && !near.some(([dx, dy]) => acts(document.elementFromPoint(x + dx, y + dy))))
                return [x, y];
        }
        return null;
    }""")
    assert point, "no plain spot on the page to tap"
    return point[0], point[1]


def _assert_open_on_screen(state: dict, term: str) -> None:
    width, height = PHONE["viewport"]["width"], PHONE["viewport"]["height"]
    assert state["open"] and state["visible"], state
    left, top, right, bottom = state["box"]
    assert 0 <= left < right <= width and 0 <= top < bottom <= height, f"definition not inside the screen: {state}"
    assert right - left >= width - 1, f"the definition is not full width on a phone: {state}"
    assert state["text"].lower().startswith(term.lower() + ":"), state
    assert state["font"] == state["body"], f"definition text is not body size: {state}"


def test_glossary_definition_opens_on_tap_and_closes_on_a_tap_elsewhere_or_escape(phone):
    page = phone(GLOSSARY_PAGE)
    term, popover_id = _first_term(page)
    name = term.inner_text().strip()
    assert not _definition_state(page, popover_id)["visible"], "the definition shows before the term is tapped"
    term.scroll_into_view_if_needed()
    term.tap()
    _assert_open_on_screen(_definition_state(page, popover_id), name)
    # A tap on the page away from the card (on nothing that acts on a tap) closes it
    x, y = _plain_point(page)
    page.touchscreen.tap(x, y)
    assert not _definition_state(page, popover_id)["visible"], "a tap elsewhere left the definition open"
    term.tap()
    assert _definition_state(page, popover_id)["open"]
    page.keyboard.press("Escape")
    state = _definition_state(page, popover_id)
    assert not state["open"] and not state["visible"], "Escape left the definition open"


def test_glossary_definition_opens_with_the_keyboard_and_its_close_button_works(phone):
    """Tab to the first term and press Enter; Tab then reaches the card's
    Close button (the browser puts a popover next in focus order after the
    button that opened it), and Enter on it closes the card."""
    page = phone(GLOSSARY_PAGE)
    term, popover_id = _first_term(page)
    name = term.inner_text().strip()
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("id => document.activeElement.getAttribute('popovertarget') === id", popover_id):
            break
    else:
        pytest.fail("60 presses of Tab never reached the first glossary term")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none"), "the focused glossary term shows no focus ring"
    page.keyboard.press("Enter")
    _assert_open_on_screen(_definition_state(page, popover_id), name)
    page.keyboard.press("Tab")
    assert _definition_state(page, popover_id)["onClose"], "Tab does not reach the Close button"
    page.keyboard.press("Enter")
    assert not _definition_state(page, popover_id)["visible"], "the Close button left the definition open"


def test_glossary_definition_opens_from_the_offline_bundle(browser, offline_url):
    """From file:// (the unzipped offline bundle): popovers need no script and no server."""
    context, recorder = new_context(browser, offline_url, **PHONE)
    try:
        page = context.new_page()
        goto(page, recorder, offline_url + GLOSSARY_PAGE.removesuffix("/") + ".html")
        term, popover_id = _first_term(page)
        term.tap()
        _assert_open_on_screen(_definition_state(page, popover_id), term.inner_text().strip())
        page.keyboard.press("Escape")
        assert not _definition_state(page, popover_id)["visible"]
        assert recorder.console_errors == [] and recorder.foreign() == []
    finally:
        context.close()


@pytest.mark.parametrize("colours", ["light", "dark"])
def test_open_glossary_definition_passes_axe(browser, hosted_url, colours):
    """axe-core (WCAG 2.2 AA, contrast included) with the definition open, in
    each colour scheme: the card is checked as readers see it."""
    context, recorder = new_context(browser, hosted_url, **PHONE, color_scheme=colours)
    # As an init script: the pages' Content-Security-Policy refuses an injected <script>
    context.add_init_script(path=str(AXE_JS))
    try:
        page = context.new_page()
        goto(page, recorder, hosted_url + GLOSSARY_PAGE)
        term, popover_id = _first_term(page)
        term.tap()
        assert _definition_state(page, popover_id)["visible"]
        assert describe_violations(run_axe(page)) == []
        assert recorder.console_errors == [] and recorder.foreign() == []
    finally:
        context.close()


def test_glossary_definition_is_a_centred_card_on_a_wide_screen(browser, hosted_url):
    from browser_helpers import DESKTOP

    context, recorder = new_context(browser, hosted_url, **DESKTOP)
    try:
        page = context.new_page()
        goto(page, recorder, hosted_url + GLOSSARY_PAGE)
        term, popover_id = _first_term(page)
        term.click()
        state = _definition_state(page, popover_id)
        left, top, right, bottom = state["box"]
        width = DESKTOP["viewport"]["width"]
        assert state["visible"] and bottom <= DESKTOP["viewport"]["height"] and top > 0, state
        assert right - left <= 40 * 16 + 1, f"the card is {right - left:.0f} px wide on a wide screen"
        assert abs(left - (width - right)) <= 1, f"the card is not centred: {state}"
    finally:
        context.close()


def test_definitions_stay_hidden_where_the_browser_has_no_popovers():
    """The rule that hides a definition names no :popover-open (a browser that
    does not know the pseudo-class drops the whole rule, and would show every
    definition inside its sentence); a separate rule shows the open one."""
    from conftest import ROOT

    css = (ROOT / "docs/assets/stylesheets/extra.css").read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules = re.findall(r"([^{}]+)\{([^{}]*)\}", css)
    hiding = [
        sel.strip() for sel, body in rules if ".glossary-definition" in sel and re.search(r"display:\s*none", body)
    ]
    assert hiding, "no rule hides the glossary definitions"
    assert all("popover-open" not in sel and "::" not in sel for sel in hiding), hiding


def test_glossary_term_is_named_by_the_term_and_looks_like_text(phone):
    page = phone(GLOSSARY_PAGE)
    term, popover_id = _first_term(page)
    look = term.evaluate("""t => {
        const s = getComputedStyle(t), p = getComputedStyle(t.parentElement);
        return {bg: s.backgroundColor, border: s.borderTopWidth, font: s.fontFamily + s.fontSize,
                parentFont: p.fontFamily + p.fontSize, colour: s.color, parentColour: p.color,
                underline: s.textDecorationLine + ' ' + s.textDecorationStyle, text: t.textContent};
    }""")
    assert look["bg"] in ("rgba(0, 0, 0, 0)", "transparent") and look["border"] == "0px", look
    assert look["font"] == look["parentFont"] and look["colour"] == look["parentColour"], look
    assert look["underline"] == "underline dotted", look
    snapshot = page.locator("article").aria_snapshot()
    assert f'button "{look["text"]}"' in snapshot, "the term's accessible name is not the term"


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
        stops.append(
            page.evaluate("""() => {
            const el = document.activeElement, r = el.getBoundingClientRect();
            return {tag: el.tagName, text: (el.innerText || el.getAttribute('aria-label') || '').trim().slice(0, 40),
                    inDrawer: !!el.closest('.md-sidebar--primary'), right: r.right, left: r.left};
        }""")
        )
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


def test_contributor_links_are_at_the_foot_and_quieter_than_the_content(phone):
    page = phone(ORDINARY)
    links = page.evaluate("""() => {
        const size = el => parseFloat(getComputedStyle(el).fontSize);
        const body = document.querySelector('article > p');
        return {
            report: [...document.querySelectorAll('.page-report a')].map(a => [a.className, size(a), getComputedStyle(a).color]),
            edit: !!document.querySelector('a.md-content__button[href*="/edit/"]'),
            repo: !!document.querySelector('.md-header .md-source, .md-nav .md-source'),
            body: size(body), colour: getComputedStyle(body).color,
        };
    }""")
    # The edit pencil is off reader pages (issue #25): editing is at the foot
    assert not links["edit"], "edit pencil by the title"
    assert not links["repo"], "repository link in the header or the navigation"
    assert {name for name, _, _ in links["report"]} == {"page-report__issue", "page-report__edit"}, links
    for _, size, colour in links["report"]:
        assert size < links["body"] and colour != links["colour"], links


# Glossary markup on every built page (no browser) ------------------------------------

# Where a term is never marked (scripts/glossary_first_use.py), and the page's
# chrome, which has no glossary terms
NO_TERMS = {"h1", "h2", "h3", "h4", "h5", "h6", "a", "code", "pre", "summary", "label", "button", "nav", "header"}
# Parts of the article the theme writes (overrides/), not Markdown: no terms marked there
THEME = {"page-sources", "page-search-words", "page-review", "page-report"}
TERM = "//button[contains(concat(' ', normalize-space(@class), ' '), ' glossary-term ')]"


def _words(text: str) -> str:
    return " ".join(text.split())


def _definition_of(card) -> str:
    """The definition a popover shows, without the term before it and its Close button."""
    dfn = card.find("dfn")
    return _words(dfn.tail or "").removeprefix(":").strip() if dfn is not None else ""


def _term_markup(term: str, popover_id: str, definition: str) -> str:
    """The markup of a marked term, as the extension writes it (for injected faults)."""
    return (
        f'<button class="glossary-term" popovertarget="{popover_id}" type="button">{term}</button>'
        f'<span class="glossary-definition" data-search-exclude id="{popover_id}" popover>'
        f'<dfn>{term}</dfn>: {definition} <button class="glossary-close" popovertarget="{popover_id}" '
        f'popovertargetaction="hide" type="button">Close</button></span>'
    )


def _glossary_problems(html: str) -> list[str]:
    """Each marked term is a button, outside headings, links, titles and
    code, followed by its own popover (unique id, the term in <dfn>, a
    definition, a Close button, kept out of search); each term once a page."""
    tree = lxml_html.fromstring(html)
    article = tree.find(".//article")
    problems = []
    ids = [el.get("id") for el in tree.iter() if isinstance(el.tag, str) and el.get("id")]
    problems += [f"an <abbr title> is left: {a.text!r}" for a in tree.iter("abbr") if a.get("title")]
    opened = set()
    for term in tree.xpath(TERM):
        name = _words(term.text_content())
        ancestors = {a.tag for a in term.iterancestors()}
        classes = " ".join(a.get("class") or "" for a in term.iterancestors())
        bad = ancestors & NO_TERMS
        if bad or "admonition-title" in classes.split():
            problems.append(f"{name!r} inside {sorted(bad) or 'an admonition title'}")
        target = term.get("popovertarget")
        card = term.getnext()
        opened.add(target)
        if (
            not target
            or card is None
            or card.get("id") != target
            or card.get("popover") is None
            or "glossary-definition" not in (card.get("class") or "").split()
        ):
            problems.append(f"{name!r} is not followed by the popover it opens ({target!r})")
            continue
        if ids.count(target) != 1:
            problems.append(f"id {target!r} is not unique on the page")
        dfn = card.find("dfn")
        if dfn is None or _words(dfn.text_content()).lower() != name.lower():
            problems.append(f"{name!r}: its definition does not name the term in <dfn>")
        if not _definition_of(card):
            problems.append(f"{name!r}: its popover holds no definition")
        if card.get("data-search-exclude") is None:
            problems.append(f"{name!r}: its definition is not kept out of the search index")
        close = card.xpath(".//button[@popovertargetaction='hide']")
        if len(close) != 1 or close[0].get("popovertarget") != target or not close[0].text_content().strip():
            problems.append(f"{name!r}: its definition has no Close button")
    for card in tree.xpath("//*[@popover]"):
        if card.get("id") not in opened:
            problems.append(f"a popover nothing opens: {card.get('id')!r}")
    definitions = [_definition_of(c) for c in article.xpath(".//*[@popover]")] if article is not None else []
    repeated = sorted({d[:30] for d in definitions if definitions.count(d) > 1})
    problems += [f"term marked twice: {d}..." for d in repeated]
    return problems


@pytest.mark.parametrize("fault", [None, "heading", "twice", "dangling"])
def test_glossary_terms_marked_once_and_never_in_headings_or_links(built_site, fault):
    pages = [p for p in built_site.rglob("*.html") if p.name != "404.html"]
    assert len(pages) >= len(nav_pages())
    marked = 0
    problems = {}
    for path in pages:
        html = path.read_text(encoding="utf-8")
        marked += html.count('class="glossary-term"')
        if fault == "heading":
            html = html.replace("</h1>", _term_markup("x", "glossary-x-fault", "An injected term.") + "</h1>", 1)
        elif fault == "twice":
            twice = (
                _term_markup("y", "glossary-y-fault", "Why.") + " " + _term_markup("y", "glossary-y-fault-2", "Why.")
            )
            html = html.replace("</article>", f"<p>{twice}</p></article>", 1)
        elif fault == "dangling":
            html = html.replace(
                "</article>",
                '<p><button class="glossary-term" popovertarget="glossary-none" type="button">z</button></p></article>',
                1,
            )
        found = _glossary_problems(html)
        if found:
            problems[str(path.relative_to(built_site))] = found
    assert marked > len(pages), "hardly any glossary terms: the check is vacuous"
    if fault is None:
        assert problems == {}
    else:
        assert len(problems) == len(pages), f"the check missed the injected {fault} fault"


def test_the_glossary_table_marks_no_terms(built_site):
    """Every word in the glossary page's table is a term: marking them would put
    a popover repeating each definition beside it, and a hundred Tab stops."""
    tree = lxml_html.fromstring((built_site / "about/glossary/index.html").read_text(encoding="utf-8"))
    table = tree.find(".//article//table")
    assert table is not None and len(table.findall(".//tr")) > 20, "no glossary table"
    assert table.xpath(".//*[contains(@class, 'glossary-term')]") == [], "terms marked inside the glossary table"
    assert tree.xpath("//article//*[contains(@class, 'glossary-term')]"), (
        "the page's running text has no marked term: the check above proves nothing"
    )


def _glossary() -> dict[str, str]:
    """term -> definition, from the glossary appended to every page (the last one wins, as in `abbr`)."""
    from conftest import ROOT

    found = {}
    for line in (ROOT / "docs/includes/abbreviations.md").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\*\[([^\]]+)\]:\s*(.+?)\s*$", line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


def _first_use_problems(html: str, glossary: dict[str, str]) -> list[str]:
    """Reads the article in document order as the extension does (text nodes
    one by one, skipping headings, links, titles, code and the definitions
    themselves): the first use of each term, in reading order, must be the
    marked one, and its popover must hold the glossary's definition."""
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in sorted(glossary, key=len, reverse=True)) + r")\b")
    article = lxml_html.fromstring(html).find(".//article")
    marked: set[str] = set()
    problems = []

    def skipped(el) -> bool:
        classes = set((el.get("class") or "").split())
        return (
            el.tag in NO_TERMS
            or el.get("popover") is not None
            or bool(classes & ({"admonition-title", "no-glossary-terms"} | THEME))
        )

    def uses(text: str | None, where) -> None:
        for match in pattern.finditer(text or ""):
            definition = glossary[match.group(0)]
            if definition not in marked:
                problems.append(
                    f"{match.group(0)!r} used unmarked before its marked use, or never marked "
                    f"(near {_words(text)[:50]!r} in <{where.tag}>)"
                )
                marked.add(definition)  # report each term once

    def walk(el, inside: bool) -> None:
        if el.tag == "button" and "glossary-term" in (el.get("class") or "").split():
            card = el.getnext()
            definition = _definition_of(card) if card is not None else ""
            if definition != _words(glossary.get(el.text_content(), "")):
                problems.append(f"{el.text_content()!r}: its popover does not hold its glossary definition")
            marked.add(definition)
            return
        inside = inside or skipped(el)
        if not inside:
            uses(el.text, el)
        for child in el:
            if isinstance(child.tag, str):
                walk(child, inside)
            if not inside:
                uses(child.tail, el)

    walk(article, False)
    return problems


@pytest.mark.parametrize("fault", [None, "first-use-unmarked"])
def test_glossary_marks_the_first_use_in_reading_order(built_site, fault):
    glossary = _glossary()
    pages = [p for p in built_site.rglob("*.html") if p.name != "404.html"]
    problems = {}
    for path in pages:
        html = path.read_text(encoding="utf-8")
        if fault:
            # The first marked term goes back to plain text: its first use is now unmarked
            html = re.sub(
                r'<button class="glossary-term"[^>]*>([^<]*)</button><span class="glossary-definition".*?</span>',
                r"\1",
                html,
                count=1,
                flags=re.S,
            )
        found = _first_use_problems(html, glossary)
        if found:
            problems[str(path.relative_to(built_site))] = found
    if fault is None:
        assert problems == {}
    else:
        marked = [p for p in pages if 'class="glossary-term"' in p.read_text(encoding="utf-8")]
        assert len(marked) > len(pages) / 2, "hardly any page marks a term: the check is vacuous"
        assert len(problems) == len(marked), f"the check missed the injected {fault} fault"
