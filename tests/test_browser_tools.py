"""The two reader tools (issue #17) in real Chromium, hosted (127.0.0.1) and
offline (file:// in the unzipped bundle): the progress diary and the "Do I
need urgent help?" checker. Every context records its requests and fails the
test on a console error or a request to any other origin. Also saves
screenshots for reviewers into build/screenshots/tools/."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from browser_helpers import (
    AXE_JS,
    DESKTOP,
    PHONE,
    describe_violations,
    goto,
    new_context,
    run_axe,
    scheme,
    storage,
    toggle_palette,
)
from conftest import ROOT

pytestmark = pytest.mark.browser

DIARY = "course-planning/progress-diary/"
CHECKER = "safety/do-i-need-urgent-help/"
RED_FLAGS = "safety/red-flags/"
KEY = "massage-for-sciatica.diary"
TOOL_FILES = (
    "assets/javascripts/diary.js",
    "assets/stylesheets/diary.css",
    "assets/javascripts/urgency-check.js",
    "assets/stylesheets/urgency-check.css",
)
SCREENSHOTS = ROOT / "build/screenshots/tools"


@pytest.fixture(params=["hosted", "offline"])
def site(request):
    """(mode, base URL, function turning a hosted path into this mode's URL)."""
    mode = request.param
    if mode == "hosted":
        base = request.getfixturevalue("hosted_url")
        return mode, base, lambda path: base + path
    base = request.getfixturevalue("offline_url")
    return mode, base, lambda path: base + (path.removesuffix("/") + ".html" if path else "index.html")


@pytest.fixture
def open_page(browser, site):
    """open_page(path, **context options) -> (page, context); every context is
    checked on close: no console error, no request that leaves the site."""
    _, base, url = site
    opened = []

    def _open(path: str, context=None, **options):
        if context is None:
            context, recorder = new_context(browser, base, **(options or DESKTOP))
            opened.append((context, recorder))
        else:
            recorder = next(r for c, r in opened if c is context)
        page = context.new_page()
        goto(page, recorder, url(path))
        return page, context

    yield _open
    for context, recorder in opened:
        context.close()
        assert recorder.console_errors == []
        assert recorder.foreign() == [], "a request left the site"


def palette_key(base: str) -> str:
    return urlsplit(base).path + ".__palette"


def add_entry(
    page, day: str, leg: int, back: int, *, activity=("Walk to the shop", 4), massage=False, numbness=False, notes=""
):
    page.locator("#diary-date").fill(day)
    page.locator("#diary-date").dispatch_event("change")
    page.locator(f"input[name=leg][value='{leg}']").check()
    page.locator(f"input[name=back][value='{back}']").check()
    page.get_by_label("Activity 1", exact=True).fill(activity[0])
    page.locator("#diary-score1").fill(str(activity[1]))
    # Emulated phones keep scrolling a focused text field back into view (as for
    # an on-screen keyboard), which moves the next tap target away: done typing
    page.evaluate("() => document.activeElement.blur()")
    page.get_by_label("I had a massage today").set_checked(massage)
    page.get_by_label("I have new numbness, tingling or weakness").set_checked(numbness)
    page.get_by_label("Notes (sleep, how the day went)").fill(notes)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#diary-saved")).to_contain_text("your entry for")


def entries_table(page) -> list[list[str]]:
    rows = page.locator("table:has(caption:text('Your diary entries')) tbody tr")
    return [[c.strip() for c in row.locator("th, td").all_inner_texts()] for row in rows.all()]


def stored(page) -> dict:
    return json.loads(page.evaluate("k => localStorage.getItem(k)", KEY) or "null")


# The diary -------------------------------------------------------------------


def test_diary_save_reload_export_import_delete(open_page, site, tmp_path):
    _, base, _ = site
    page, context = open_page(DIARY)
    today = page.evaluate(
        "() => { const d = new Date(); return d.getFullYear() + '-' + "
        "String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0'); }"
    )
    expect(page.locator("#diary-date")).to_have_value(today)
    expect(page.get_by_text("No entries yet")).to_be_visible()
    add_entry(page, today, 6, 3, massage=True, notes="Slept badly, then walked")

    page.reload()
    expect(page.locator(".diary-chart circle")).to_have_count(1)
    expect(page.locator(".diary-chart rect")).to_have_count(1)
    assert "leg pain 6, back pain 3" in page.locator("#diary-summary").inner_text()
    (row,) = entries_table(page)
    assert row[1:] == ["6", "3", "Walk to the shop: 4", "Yes", "No", "No", "Slept badly, then walked"]
    assert stored(page)["entries"][0] == {
        "date": today,
        "activities": [{"name": "Walk to the shop", "score": 4}],
        "massage": True,
        "exercise": False,
        "numbness": False,
        "notes": "Slept badly, then walked",
        "leg": 6,
        "back": 3,
    }

    # A second day: the chart joins two points with a line; the form keeps the activity names
    yesterday = (date.fromisoformat(today) - timedelta(days=1)).isoformat()
    add_entry(page, yesterday, 7, 4, notes='=SUM(A1) "hi", ok')
    expect(page.locator(".diary-chart circle")).to_have_count(2)
    assert [r[1] for r in entries_table(page)] == ["7", "6"], "entries not in date order"

    with page.expect_download() as download:
        page.get_by_role("button", name="Export JSON").click()
    saved = tmp_path / "diary.json"
    download.value.save_as(saved)
    exported = json.loads(saved.read_text())
    assert exported["format"] == "massage-for-sciatica-diary" and exported["version"] == 1
    assert [(e["date"], e["leg"], e["back"]) for e in exported["entries"]] == [(yesterday, 7, 4), (today, 6, 3)]
    with page.expect_download() as download:
        page.get_by_role("button", name="Export CSV").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text())))
    assert [(r["date"], r["leg_pain"], r["activity_1"]) for r in rows] == [
        (yesterday, "7", "Walk to the shop"),
        (today, "6", "Walk to the shop"),
    ]
    assert rows[0]["notes"] == '\'=SUM(A1) "hi", ok', "a formula must not reach a spreadsheet"

    # Print for my clinician: the page prints with the form and the page text left out
    page.evaluate("""() => { window.print = () => {
        const shown = sel => getComputedStyle(document.querySelector(sel)).display !== 'none';
        window.printed = Object.fromEntries(['.diary-form', '.diary-chart', '.diary-results table',
            '.md-content__inner > h1', '.md-header'].map(sel => [sel, shown(sel)]));
        window.dispatchEvent(new Event('afterprint')); }; }""")
    page.emulate_media(media="print")
    page.get_by_role("button", name="Print for my clinician").click()
    page.emulate_media(media="screen")
    assert page.evaluate("window.printed") == {
        ".diary-form": False,
        ".diary-chart": True,
        ".diary-results table": True,
        ".md-content__inner > h1": False,
        ".md-header": False,
    }
    assert not page.evaluate("document.documentElement.classList.contains('diary-printing')")

    # Import into a fresh browser (no storage): the same entries come back
    fresh, fresh_context = open_page(DIARY, **DESKTOP)
    assert fresh_context is not context
    assert KEY not in storage(fresh)["local"]
    with fresh.expect_file_chooser() as chooser:
        fresh.get_by_role("button", name="Import JSON").click()
    chooser.value.set_files(saved)
    expect(fresh.locator(".diary-status[role=status]").last).to_contain_text("Imported 2 entries")
    assert stored(fresh)["entries"] == exported["entries"]
    assert [r[1:3] for r in entries_table(fresh)] == [["7", "4"], ["6", "3"]]

    # A file that is not a diary changes nothing and says why
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {"format": "massage-for-sciatica-diary", "version": 1, "entries": [{"date": today, "leg": 12, "back": 1}]}
        )
    )
    with fresh.expect_file_chooser() as chooser:
        fresh.get_by_role("button", name="Import JSON").click()
    chooser.value.set_files(bad)
    expect(fresh.locator(".diary-status[role=status]").last).to_contain_text("leg pain is 12")
    assert stored(fresh)["entries"] == exported["entries"]

    # Delete all, with a confirmation: nothing is left but the palette choice
    toggle_palette(fresh)
    fresh.get_by_role("button", name="Delete all").click()
    dialog = fresh.get_by_role("dialog", name="Delete all your entries?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("all 2 entries")
    dialog.get_by_role("button", name="No, keep them").click()
    assert stored(fresh) is not None
    fresh.get_by_role("button", name="Delete all").click()
    dialog.get_by_role("button", name="Yes, delete all").click()
    expect(fresh.get_by_text("No entries yet")).to_be_visible()
    assert storage(fresh) == {"local": [palette_key(base)], "session": []}
    fresh.reload()
    expect(fresh.get_by_text("No entries yet")).to_be_visible()
    assert fresh_context.cookies() == []


def test_diary_weekly_rule_and_red_flags_link(open_page, site):
    _, base, url = site
    page, _ = open_page(DIARY)
    start = date(2026, 11, 2)
    for i, (leg, massage) in enumerate([(6, False), (6, True), (6, False), (6, True), (6, True)]):
        add_entry(page, (start + timedelta(days=i * 3)).isoformat(), leg, 2, massage=massage)
    weeks = page.locator("table:has(caption:text('Weekly averages')) tbody tr")
    expect(weeks).to_have_count(2)
    week1, week2 = ([c.strip() for c in row.locator("th, td").all_inner_texts()] for row in weeks.all())
    assert week1[0].startswith("Week 1") and week1[2] == "6"
    assert week1[-1].startswith("Your starting point")
    assert "No change in your average leg pain since week 1" in week2[-1]
    assert "talk to your physiotherapist" in week2[-1].lower()
    text = page.locator(".diary-results").inner_text().lower()
    assert "stop" not in text, "the diary must never tell a reader to stop their care"

    # New numbness or weakness: the red flags link shows at once, and stays after saving
    red_flags = url(RED_FLAGS)
    page.get_by_label("I have new numbness, tingling or weakness").check()
    alert = page.locator(".diary-form [role=alert]")
    expect(alert).to_be_visible()
    assert alert.get_by_role("link").evaluate("a => a.href") == red_flags
    add_entry(page, (start + timedelta(days=15)).isoformat(), 7, 2, numbness=True)
    shown = page.locator(".diary-results .diary-alert")
    expect(shown).to_be_visible()
    expect(shown).to_contain_text("You recorded new numbness")
    assert shown.get_by_role("link").evaluate("a => a.href") == red_flags
    shown.get_by_role("link").click()
    expect(page.locator("article h1")).to_contain_text("Red flags")


def test_diary_reads_the_number_of_sessions_from_the_course_rule(browser, hosted_url):
    """When the course rule's snippet carries data-sessions="N", the diary waits
    for N massage sessions before it judges (here N is put into the served page)."""
    context, recorder = new_context(browser, hosted_url, **DESKTOP)

    def with_rule(route):
        html = route.fetch().text()
        route.fulfill(
            body=html.replace('id="diary-app"', 'id="diary-app" data-sessions="4"', 1),
            headers={"content-type": "text/html; charset=utf-8"},
        )

    context.route(hosted_url + DIARY, with_rule)
    page = context.new_page()
    try:
        goto(page, recorder, hosted_url + DIARY)
        start = date(2026, 11, 2)
        for i, massage in enumerate([False, True, True, False, True, True]):
            add_entry(page, (start + timedelta(days=i * 3)).isoformat(), 6, 2, massage=massage)
        weeks = page.locator("table:has(caption:text('Weekly averages')) tbody tr td:last-child").all_inner_texts()
        assert weeks[1].startswith("3 massage sessions so far. The course is judged after 4 sessions"), weeks
        assert weeks[2].startswith("No change in your average leg pain since week 1"), weeks
        assert "after 4 massage sessions" in weeks[2]
    finally:
        context.close()
    assert recorder.console_errors == [] and recorder.foreign() == []


def test_diary_keyboard_only(open_page):
    page, _ = open_page(DIARY)
    page.locator("#diary-date").focus()
    tab_to(page, "el => el.name === 'leg'")  # past the date's day, month and year
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Tab")  # into the back pain scale
    for _ in range(2):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Tab")
    page.keyboard.type("Sit through a film")
    page.keyboard.press("Tab")
    page.keyboard.type("3")
    page.keyboard.press("Enter")  # submits the form, as in any form
    expect(page.locator("#diary-saved")).to_contain_text("Saved your entry")
    assert entries_table(page)[0][1:4] == ["5", "2", "Sit through a film: 3"]
    # The confirmation opens, takes the focus and closes with Escape
    delete = page.get_by_role("button", name="Delete all")
    delete.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Delete all your entries?")
    expect(dialog).to_be_visible()
    assert page.evaluate("() => document.activeElement.closest('dialog') !== null")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert len(entries_table(page)) == 1


def tab_to(page, predicate: str, limit: int = 60) -> None:
    """Press Tab until the focused element matches the JS predicate."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => ({predicate})(document.activeElement)"):
            return
    pytest.fail(f"no element matching {predicate} can be reached with the Tab key")


# The checker -------------------------------------------------------------------


def signs(page, selector: str) -> dict[str, list[str]]:
    """Each card's signs as text, without glossary definitions (popovers after
    a term's first use on the page, which differs between the two pages)."""
    return page.evaluate(
        """sel => Object.fromEntries(['emergency', 'urgent', 'soon'].map(level =>
        [level, [...document.querySelectorAll(`article .admonition.${level} ${sel}`)]
                 .map(e => { const copy = e.cloneNode(true); copy.querySelectorAll('[popover]').forEach(p => p.remove());
                             return copy.textContent.replace(/\\s+/g, ' ').trim(); })]))""",
        selector,
    )


def test_checker_items_are_the_red_flags_items(open_page):
    flags, _ = open_page(RED_FLAGS)
    shown = signs(flags, "li")
    checker, _ = open_page(CHECKER)
    ticks = signs(checker, "li.urgency-sign > label")
    assert all(shown[level] for level in shown), f"a level has no signs on the red flags page: {shown}"
    assert ticks == shown
    boxes = checker.locator("li.urgency-sign > input[type=checkbox]")
    expect(boxes).to_have_count(sum(len(v) for v in shown.values()))


def test_checker_glossary_definition_opens_without_ticking_its_sign(open_page):
    """A sign with a glossary term's first use: a tap on the term opens its
    definition, and a tap on the open definition ticks nothing."""
    page, _ = open_page(CHECKER, **PHONE)
    terms = page.locator("article li.urgency-sign .glossary-term")
    assert terms.count() >= 1, "no glossary term in a sign: the check is vacuous"
    for term in terms.all():
        sign = term.locator("xpath=ancestor::li[1]")
        box = sign.locator("input[type=checkbox]")
        popover_id = term.get_attribute("popovertarget")
        term.scroll_into_view_if_needed()
        term.tap()
        assert page.evaluate("id => document.getElementById(id).matches(':popover-open')", popover_id)
        page.locator(f"#{popover_id} dfn").tap()
        assert not box.is_checked(), f"a tap on the definition of {term.inner_text()!r} ticked its sign"
        assert page.evaluate("id => !document.getElementById(id).closest('label')", popover_id)
        page.keyboard.press("Escape")


def answer_after(page, *labels: str) -> str:
    for label in labels:
        page.locator("li.urgency-sign > label", has_text=re.compile(label)).first.click()
    page.get_by_role("button", name="Show my answer").click()
    visible = [a for a in ("emergency", "urgent", "none") if page.locator(f"#answer-{a}").is_visible()]
    assert len(visible) == 1, visible
    return visible[0]


def test_checker_answers(open_page):
    page, _ = open_page(CHECKER)
    for answer in ("emergency", "urgent", "none"):
        expect(page.locator(f"#answer-{answer}")).to_be_hidden()
    assert answer_after(page, "pee") == "emergency"
    emergency = page.locator("#answer-emergency")
    expect(emergency).to_contain_text("Call 999 or go to A&E now")
    assert emergency.locator("a[href='tel:999']").count() >= 1
    assert page.evaluate("() => document.activeElement.closest('#answer-emergency') !== null"), (
        "focus not on the answer"
    )

    page.reload()
    assert answer_after(page, "^new weakness in a leg or foot") == "urgent"
    urgent = page.locator("#answer-urgent")
    expect(urgent).to_contain_text("call 111 or your GP")
    assert urgent.locator("a[href='tel:111']").count() >= 1
    # Ticking an emergency sign as well changes the answer at once
    page.locator("li.urgency-sign > label", has_text="poo").first.click()
    expect(page.locator("#answer-emergency")).to_be_visible()
    expect(urgent).to_be_hidden()

    page.reload()
    assert answer_after(page) == "none"
    none = page.locator("#answer-none")
    expect(none).to_contain_text("See a GP")
    assert none.locator("a[href*='self-massage']").count() == 1
    body = page.locator("article").inner_text().lower()
    assert "you are fine" not in body and "you're fine" not in body
    assert "does not diagnose" in body


def test_checker_keyboard_only(open_page):
    page, _ = open_page(CHECKER)
    first = page.locator(".admonition.emergency li.urgency-sign > input").first
    first.focus()
    page.keyboard.press("Space")
    assert first.is_checked()
    tab_to(page, "el => el.textContent === 'Show my answer'")
    page.keyboard.press("Enter")
    expect(page.locator("#answer-emergency")).to_be_visible()
    focused = page.evaluate("() => document.activeElement.closest('.urgency-answer')?.id")
    assert focused == "answer-emergency"


# Without JavaScript ------------------------------------------------------------


def test_without_javascript(open_page):
    page, _ = open_page(CHECKER, java_script_enabled=False, **DESKTOP)
    assert page.locator("article input[type=checkbox]").count() == 0
    assert all(signs(page, "li").values()), "the plain checklist is missing"
    for answer in ("emergency", "urgent", "none"):
        expect(page.locator(f"#answer-{answer}")).to_be_visible()
    expect(page.locator("#answer-emergency a[href='tel:999']").first).to_be_visible()
    expect(page.locator("#answer-urgent a[href='tel:111']").first).to_be_visible()

    diary, _ = open_page(DIARY, java_script_enabled=False, **DESKTOP)
    note = diary.locator("#diary-app")
    expect(note).to_contain_text("needs JavaScript")
    note.get_by_role("link").click()
    expect(diary.locator("#daily-pain-and-activity-diary")).to_be_visible()


# Accessibility, weight, screenshots --------------------------------------------------


def test_axe_on_both_tools_light_and_dark(browser, hosted_url):
    context, recorder = new_context(browser, hosted_url, **DESKTOP)
    # As an init script: the pages' Content-Security-Policy refuses an injected <script>
    context.add_init_script(path=str(AXE_JS))
    page = context.new_page()
    problems = {}
    try:
        goto(page, recorder, hosted_url + DIARY)
        for i, leg in enumerate((6, 5)):
            add_entry(page, (date(2026, 11, 2) + timedelta(days=i * 8)).isoformat(), leg, 3, massage=True)
        page.get_by_label("I have new numbness, tingling or weakness").check()  # the alert shows
        for _ in range(2):
            problems[f"diary [{scheme(page)}]"] = describe_violations(run_axe(page))
            toggle_palette(page)
        page.get_by_role("button", name="Delete all").click()  # the open dialog too
        problems["diary dialog"] = describe_violations(run_axe(page))
        page.keyboard.press("Escape")
        goto(page, recorder, hosted_url + CHECKER)
        answer_after(page, "pee")
        for _ in range(2):
            problems[f"checker [{scheme(page)}]"] = describe_violations(run_axe(page))
            toggle_palette(page)
    finally:
        context.close()
    assert {k: v for k, v in problems.items() if v} == {}
    assert recorder.console_errors == [] and recorder.foreign() == []


def test_tool_files_load_on_their_pages_only(built_site):
    pages = {p.relative_to(built_site).as_posix(): p.read_text(encoding="utf-8") for p in built_site.rglob("*.html")}
    users = {name: sorted(p for p, html in pages.items() if name in html) for name in TOOL_FILES}
    assert users == {
        "assets/javascripts/diary.js": [DIARY + "index.html"],
        "assets/javascripts/urgency-check.js": [CHECKER + "index.html"],
        "assets/stylesheets/diary.css": [DIARY + "index.html"],
        "assets/stylesheets/urgency-check.css": [CHECKER + "index.html"],
    }
    # No inline script of their own: the same inline scripts as any other page (the theme's)
    inline = {
        name: set(re.findall(r"<script>(.*?)</script>", pages[name + "index.html"], re.S))
        for name in (DIARY, CHECKER, "course-planning/tracking-progress/")
    }
    assert inline[DIARY] == inline[CHECKER] == inline["course-planning/tracking-progress/"]


@pytest.mark.parametrize("colours", ["light", "dark"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.screenshots
def test_screenshots(browser, hosted_url, size, colours):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    options = dict(DESKTOP if size == "desktop" else PHONE, color_scheme=colours)
    context, recorder = new_context(browser, hosted_url, **options)
    page = context.new_page()
    try:
        goto(page, recorder, hosted_url + DIARY)
        for i, leg in enumerate((7, 6, 6, 5, 4, 4, 3)):
            add_entry(
                page,
                (date(2026, 11, 2) + timedelta(days=i * 2)).isoformat(),
                leg,
                max(leg - 3, 0),
                massage=i % 2 == 1,
                activity=("Walk to the shop", 3 + i // 2),
            )
        assert scheme(page) == ("slate" if colours == "dark" else "default")
        page.evaluate("scrollTo(0, 0)")  # the sticky header at the top of the picture, not halfway down
        page.screenshot(path=SCREENSHOTS / f"diary-{size}-{colours}.png", full_page=True, animations="disabled")
        goto(page, recorder, hosted_url + CHECKER)
        answer_after(page, "pee")
        page.evaluate("scrollTo(0, 0)")
        page.screenshot(path=SCREENSHOTS / f"checker-{size}-{colours}.png", full_page=True, animations="disabled")
    finally:
        context.close()
    assert recorder.console_errors == [] and recorder.foreign() == []
