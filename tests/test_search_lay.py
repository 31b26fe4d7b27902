"""Search that answers lay questions (issue #14 item 3), hosted and offline.

The disclaimer and other repeated parts are kept out of the search index
(data-search-exclude); lay words and common misspellings reach the page that
answers them, through the page's text or its `tags:` front matter (Material's
search indexes tags and shows them on each result; the page shows them as
"Also searched as"). Each query is typed into Material's search box in
Chromium as a reader types it.

Issue #24 item 5: the warning signs' lay words (docs/includes/signs.yml) are
on the red flags page ("The signs in everyday words", generated), and a
reader who types a symptom in their own words finds the red flags page or the
checker among the first three results; everyday questions find the page that
answers them. The field boosts in mkdocs.yml were measured with these queries.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from browser_helpers import DESKTOP, goto, new_context
from conftest import ROOT, built_path, nav_pages

# Lay query -> the page that must be among the first three results (hosted path)
LAY_QUERIES = {
    "pins and needles": "causes/what-is-sciatica/",
    "can't control my bladder": "safety/red-flags/",
    "bad back pregnant": "causes/pregnancy/",
    "how long does sciatica last": "causes/how-long-it-lasts/",
    "hot water bottle": "course-planning/self-care/",
    "ibuprofen": "course-planning/medicines-injections-surgery/",
    "painkillers": "course-planning/medicines-injections-surgery/",
    "oil massage": "techniques/classic-massage/",
    "narrowing of the spine": "causes/spinal-stenosis/",
    "foot drop": "safety/red-flags/",
    "pain in my buttock": "causes/piriformis-syndrome/",
    "numbness": "safety/red-flags/",
    "siatica": "causes/what-is-sciatica/",
    "slipped disc": "causes/disc-herniation/",
}
TOP = 3

# A symptom in a reader's own words -> the red flags page or the checker in the
# first three results. Our own phrasings, not the table's lay words verbatim
SIGN_PAGES = ("safety/red-flags/", "safety/do-i-need-urgent-help/")
SYMPTOM_QUERIES = [
    "numb bum",
    "numb when I wipe",
    "can't pee",
    "cannot wee",
    "wet myself",
    "pooed myself",
    "foot drags",
    "weak ankle",
    "foot drop",
    "leg gives way",
    "both legs numb",
    "pain down both legs",
    "numb between my legs",
    "can't feel the toilet paper",
    "tingling bottom",
    "cannot get an erection",
    "lost control of my bladder",
    "weak pee flow",
    "back pain and fever",
    "back pain at night",
    "pain wakes me up",
    "losing weight without trying",
    "lump on my back",
    "pain between shoulder blades",
    "fell and hurt my back",
    "cancer back pain",
    "unsteady on my feet",
    "sudden back pain and feel faint",
    "back pain after car crash",
    "numb groin",
    "can't control my bladder",
    "pain at night",
    "back pain after fall",
]
# An everyday question -> the pages that answer it, in the first EVERYDAY_TOP
# (what the search panel shows without scrolling)
EVERYDAY_QUESTIONS = {
    "can massage make it worse": (
        "safety/risks-by-technique/",
        "course-planning/when-to-stop-or-change/",
        "safety/stop-and-get-help/",
    ),
    "thai massage sciatica": ("techniques/thai-massage/",),
    "should I see a physio": ("course-planning/seeing-a-gp-or-physio/",),
    "how many massage sessions do I need": ("course-planning/how-many-sessions/",),
    "is cupping safe": ("techniques/cupping/", "safety/risks-by-technique/"),
    "massage when pregnant": ("causes/pregnancy/",),
    "how long does sciatica last": ("causes/how-long-it-lasts/",),
    "what causes sciatica": ("causes/", "causes/what-is-sciatica/"),
    "exercises for sciatica": ("course-planning/exercises/",),
    "heat or ice": ("course-planning/self-care/",),
    "does massage help sciatica": ("techniques/", "course-planning/is-massage-right-for-me/"),
    "how much does massage cost": ("safety/getting-treatment/",),
    "how do I find a good massage therapist": ("safety/choosing-a-therapist/",),
    "can I massage myself": ("techniques/self-massage/",),
    "what painkillers can I take": ("course-planning/medicines-injections-surgery/",),
    "will I need surgery": ("course-planning/medicines-injections-surgery/",),
    "who should not have massage": ("safety/when-not-to-have-massage/",),
    "can't sleep with sciatica": ("course-planning/coping-and-support/",),
    "stop sciatica coming back": ("course-planning/preventing-recurrence/",),
    "do I need a scan": ("course-planning/before-you-start/", "causes/assessment/"),
    "is it sciatica or something else": ("causes/conditions-that-can-look-like-sciatica/",),
    "pressure points for sciatica": ("techniques/acupressure/",),
}
EVERYDAY_TOP = 5

# The per-page disclaimer's opening words (docs/includes/disclaimer.md)
DISCLAIMER_MARK = "General information, not medical advice"


def lay_search(page, query: str) -> tuple[list[str], str]:
    """(result page URLs best first, the panel's "N matching documents" line)."""
    urls = settled_search(page, query)
    return urls, page.locator(".md-search-result__meta").inner_text()


@pytest.fixture(scope="module", params=["hosted", "offline"])
def lay_results(request, browser):
    offline = request.param == "offline"
    base = request.getfixturevalue("offline_url" if offline else "hosted_url")
    context, recorder = new_context(browser, base, **DESKTOP)
    page = context.new_page()
    try:
        goto(page, recorder, base + ("index.html" if offline else ""))
        page.locator("input.md-search__input").click()
        results = {}
        for query in LAY_QUERIES:
            urls, meta = lay_search(page, query)
            results[query] = ([u.removeprefix(base) for u in urls], meta)
        assert recorder.console_errors == [] and recorder.foreign() == []
        return request.param, results
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("query", LAY_QUERIES)
def test_lay_query_finds_the_page(lay_results, query):
    mode, results = lay_results
    expected = LAY_QUERIES[query]
    if mode == "offline":
        expected = expected.removesuffix("/") + ".html"
    found, meta = results[query]
    assert expected in found[:TOP], f"{mode}: {query!r} -> {expected} not in the first {TOP}: {found[:TOP]} ({meta})"


@pytest.mark.browser
def test_numbness_does_not_return_every_page(lay_results):
    """The warning signs were in the disclaimer on every page: every page matched."""
    mode, results = lay_results
    _, meta = results["numbness"]
    count = int(re.match(r"(\d+) matching", meta).group(1))
    assert count < len(nav_pages()), f"{mode}: 'numbness' matches {count} of {len(nav_pages())} pages"


def settled_search(page, query: str, timeout: float = 15_000) -> list[str]:
    """The result pages for query, best first: the whole query is put in the
    box and one key released (Material searches on keyup), so exactly one
    search runs; the results of the previous query are cleared first."""
    page.evaluate("() => { for (const el of document.querySelectorAll('.md-search-result__item')) el.remove(); }")
    box = page.locator("input.md-search__input")
    box.fill(query)
    box.press("End")
    page.wait_for_function(
        """() => document.querySelector('.md-search-result__item > a')
            || /No matching/.test(document.querySelector('.md-search-result__meta').textContent)""",
        timeout=timeout,
    )
    hrefs = page.eval_on_selector_all(".md-search-result__item > a:first-child", "els => els.map(e => e.href)")
    return [h.split("?")[0].split("#")[0] for h in hrefs]


@pytest.fixture(scope="module")
def everyday_results(browser, hosted_url):
    """Every symptom and everyday query, hosted (the offline bundle holds the
    same index: test_offline_search_ranks_as_the_hosted_one)."""
    context, recorder = new_context(browser, hosted_url, **DESKTOP)
    page = context.new_page()
    try:
        goto(page, recorder, hosted_url)
        page.locator("input.md-search__input").click()
        results = {
            query: [u.removeprefix(hosted_url) for u in settled_search(page, query)]
            for query in [*SYMPTOM_QUERIES, *EVERYDAY_QUESTIONS]
        }
        assert recorder.console_errors == [] and recorder.foreign() == []
        return results
    finally:
        context.close()


def test_the_query_sets_are_large_enough():
    assert len(set(SYMPTOM_QUERIES)) == len(SYMPTOM_QUERIES) >= 30
    assert len(EVERYDAY_QUESTIONS) >= 20


@pytest.mark.browser
@pytest.mark.parametrize("query", SYMPTOM_QUERIES)
def test_a_symptom_in_lay_words_finds_the_red_flags(everyday_results, query):
    found = everyday_results[query][:TOP]
    assert set(found) & set(SIGN_PAGES), f"{query!r}: {found}"


@pytest.mark.browser
@pytest.mark.parametrize("query", EVERYDAY_QUESTIONS)
def test_an_everyday_question_finds_the_page_that_answers(everyday_results, query):
    found = everyday_results[query][:EVERYDAY_TOP]
    assert set(found) & set(EVERYDAY_QUESTIONS[query]), f"{query!r}: {found}"


def built_path_of(hosted: str) -> str:
    """A hosted result path as the offline bundle names it: "safety/" -> "safety/index.html"
    (a section index), "safety/red-flags/" -> "safety/red-flags.html"."""
    if hosted == "" or (ROOT / "docs" / hosted / "index.md").is_file():
        return hosted + "index.html"
    return hosted.removesuffix("/") + ".html"


@pytest.mark.browser
def test_offline_search_ranks_as_the_hosted_one(browser, offline_url, everyday_results):
    context, recorder = new_context(browser, offline_url, **DESKTOP)
    page = context.new_page()
    try:
        goto(page, recorder, offline_url + "index.html")
        page.locator("input.md-search__input").click()
        for query in SYMPTOM_QUERIES[::4]:
            offline = [u.removeprefix(offline_url) for u in settled_search(page, query)][:TOP]
            hosted = [built_path_of(p) for p in everyday_results[query][:TOP]]
            assert offline == hosted, query
        assert recorder.console_errors == [] and recorder.foreign() == []
    finally:
        context.close()


def test_no_search_field_outweighs_the_text_by_more_than_ten_times():
    """Material's defaults (title 1000, tags 1e6) let a heading's first letters
    or a page's tags ("pain") outrank the page that answers; the boosts are set
    in mkdocs.yml and measured by this module's queries."""
    from pagelint.siteconfig import _load_yaml

    plugins = _load_yaml(ROOT / "mkdocs.yml", "mkdocs.yml")[0].get("plugins", [])
    search = next(p["search"] for p in plugins if isinstance(p, dict) and "search" in p)
    fields = {name: spec["boost"] for name, spec in search["fields"].items()}
    assert fields["tags"] <= fields["title"] <= 10 * fields["text"], fields


def test_the_red_flags_page_lists_every_lay_word(built_site):
    """The signs table's lay words are on the red flags page, where search reads them."""
    from pagelint import signs

    html = (built_site / "safety/red-flags/index.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").replace("&quot;", '"')
    missing = [w for sign in signs.load().signs for w in sign.lay if f'"{w}"' not in text]
    assert missing == []


# The index itself (no browser) ----------------------------------------------------


@pytest.fixture(scope="module")
def index(built_site) -> list[dict]:
    return json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]


def test_disclaimer_is_not_in_the_search_index(built_site, index):
    pages = [p for p in built_site.rglob("index.html") if DISCLAIMER_MARK in p.read_text(encoding="utf-8")]
    assert len(pages) >= len(nav_pages()) - 1, "the disclaimer is missing from the built pages: the check is vacuous"
    indexed = [d["location"] for d in index if DISCLAIMER_MARK in d["text"] or DISCLAIMER_MARK in d["title"]]
    assert indexed == []


def test_review_block_and_report_links_are_not_in_the_search_index(index):
    """The theme renders them outside the page's content, which is all the
    index reads; this keeps it so (a page may still write about them)."""
    for marker in (
        r"Checked by the editors\s*\d{1,2} \w+ \d{4}",
        r"Next check due\s*\d",
        r"Not yet reviewed by a clinician \(how we check pages\)",
        r"Also searched as:",
    ):
        assert [d["location"] for d in index if re.search(marker, d["text"])] == [], marker


def test_each_repeated_card_is_indexed_on_its_home_page_only(built_site, index):
    """The urgency cards and the course rules are shown on many pages; each is
    in the index once, on its home page (siteconfig.CARD_HOMES), so a search
    for a sign finds the page about it, not every page that shows the card.
    The built index, read with the lint's reading of a card (its sentences:
    all of them on the home page; elsewhere a page may share one in its own
    words, a copy shares most of them)."""
    from pagelint.context import Context
    from pagelint.rules.card_copies import count_in, holds_copy, plain_key
    from pagelint.siteconfig import CARD_HOMES, load_site_config

    ctx = Context.create(load_site_config(ROOT / "mkdocs.yml"))
    texts: dict[str, str] = {}
    for d in index:
        page = d["location"].split("#")[0]
        texts[page] = texts.get(page, "") + plain_key(d["title"] + " " + d["text"])
    for name, home in CARD_HOMES.items():
        home_url = built_path(home, directory_urls=True).removesuffix("index.html")  # its location in the index
        sources = [p for p in (ROOT / "docs").rglob("*.md") if name in p.read_text(encoding="utf-8")]
        assert len(sources) >= 2, f"{name} is shown on {len(sources)} page(s): the check is vacuous"
        sentences = ctx.card_sentences[name]
        assert len(sentences) >= 3, f"{name}: {sentences}"
        indexed = count_in(sentences, texts.get(home_url, ""))
        assert indexed == len(sentences), (
            f"{name}: {indexed} of {len(sentences)} sentences indexed on its home {home_url}"
        )
        copies = sorted(page for page, text in texts.items() if page != home_url and holds_copy(sentences, text))
        assert copies == [], f"{name}: indexed again on {copies}"


def test_search_words_are_indexed_and_shown_on_the_page(built_site, index):
    """Every page with tags: has them in the index and visibly on the page."""
    tagged = {d["location"].split("#")[0]: d["tags"] for d in index if d.get("tags")}
    assert "causes/spinal-stenosis/" in tagged
    for location, tags in tagged.items():
        html = (built_site / location / "index.html").read_text(encoding="utf-8")
        shown = re.search(r'<p class="page-search-words">Also searched as: ([^<]*)</p>', html)
        assert shown, f"{location}: tags in the index but not shown on the page"
        for tag in tags:
            assert tag.replace("'", "&#39;") in shown.group(1), (location, tag)


def test_search_words_in_front_matter_are_a_list_of_words(tmp_path):
    """tags: in front matter is a YAML list of short strings (what Material indexes)."""
    import frontmatter

    for path in sorted((ROOT / "docs").rglob("*.md")):
        if "includes" in path.parts:
            continue
        tags = frontmatter.load(path).metadata.get("tags")
        if tags is None:
            continue
        assert isinstance(tags, list) and all(isinstance(t, str) and 0 < len(t) <= 60 for t in tags), (
            f"{path.relative_to(ROOT)}: tags must be a list of short strings"
        )


# Glossary definitions (native popovers after a term's first use) ---------------------


def _index_of(mode: str, built_site, offline_bundle) -> tuple[Path, list[dict]]:
    """(the build's root folder, its search index docs), hosted or offline."""
    if mode == "hosted":
        return built_site, json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    _, root = offline_bundle
    script = (root / "search/search_index.js").read_text(encoding="utf-8")
    return root, json.loads(script.removeprefix("var __index = ").rstrip().rstrip(";"))["docs"]


def _words(text: str) -> str:
    return " ".join(text.split())


def _hidden_definitions(html: str) -> list[str]:
    """The glossary definitions a page holds in popovers that its running text
    does not also say (the glossary page's table does; no other page should)."""
    from lxml import html as lxml_html

    article = lxml_html.fromstring(html).find(".//article")
    definitions = []
    for card in article.xpath(".//*[@popover]"):
        dfn = card.find("dfn")
        if dfn is not None and dfn.tail:
            definitions.append(_words(dfn.tail).removeprefix(":").strip())
        card.drop_tree()
    shown = _words(article.text_content())
    return [d for d in definitions if d and d not in shown]


@pytest.mark.build
@pytest.mark.parametrize("mode", ["hosted", "offline"])
def test_glossary_definitions_are_not_in_the_search_index(request, mode):
    built_site = request.getfixturevalue("built_site")
    offline_bundle = request.getfixturevalue("offline_bundle") if mode == "offline" else None
    root, docs = _index_of(mode, built_site, offline_bundle)
    texts: dict[str, str] = {}
    for doc in docs:
        page = doc["location"].split("#")[0]
        texts[page] = texts.get(page, "") + " " + _words(re.sub(r"<[^>]+>", " ", doc["text"]))
    checked, indexed = 0, []
    for page, text in texts.items():
        path = root / (page + "index.html" if mode == "hosted" and not page.endswith(".html") else page or "index.html")
        for definition in _hidden_definitions(path.read_text(encoding="utf-8")):
            checked += 1
            if definition in _words(text):
                indexed.append((page, definition[:50]))
    assert checked > len(nav_pages()), f"{mode}: only {checked} glossary definitions found: the check is vacuous"
    assert indexed == [], f"{mode}: glossary definitions in the search index: {indexed[:5]}"


@pytest.mark.parametrize("excluded", [True, False])
def test_material_search_skips_an_inline_span_marked_data_search_exclude(excluded):
    """What the test above relies on, shown on Material's own parser: an
    inline <span data-search-exclude> in a paragraph is left out, the words
    around it kept (and, without the attribute, it is indexed: the check works)."""
    from material.plugins.search.plugin import Parser

    mark = " data-search-exclude" if excluded else ""
    parser = Parser()
    parser.feed(
        '<h1 id="t">Title</h1><p>Before <button class="glossary-term" popovertarget="g">term</button>'
        f'<span class="glossary-definition" id="g" popover{mark}><dfn>term</dfn>: a secret definition '
        '<button popovertarget="g" popovertargetaction="hide">Close</button></span> after.</p><p>Next.</p>'
    )
    parser.close()
    text = _words(re.sub(r"<[^>]+>", " ", " ".join("".join(section.text) for section in parser.data)))
    if excluded:
        assert "Before term after." in text, text
    assert ("secret definition" in text) is not excluded, text
    assert "Next." in text, text
