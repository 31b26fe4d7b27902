"""The claims ledger (docs/about/claims-ledger.md) accounts for every sentence
of the four seed articles, as tests/data/seed_claims.yml lists them.

Two halves:

- **Seed sentences.** Each seed article (tests/data/seeds/, inside the
  repository) is split into sentences; every sentence must be touched by the
  quote of a claim or listed under `no_claim` with a reason.
- **The page.** The ledger is rendered with the site's own Markdown extensions
  and settings from mkdocs.yml (the page lint's renderer: details blocks,
  attr_list, snippets) and read with BeautifulSoup. Every claim must appear as
  a `.seed-quote` under its article's heading, inside the collapsed block of
  its fate, with a fate paragraph that links the page and source that now cover
  it (and that page cites that source).
- **On a phone.** In Chromium at 390 x 844 the page does not scroll sideways,
  the summary table fits and the claim blocks start closed.

Sentence splitting is deliberately simple (split_sentences): a line of the
article is a unit (titles, list items and headings are lines of their own),
and a line is cut after ".", "!" or "?" followed by a space. The seed articles
have no abbreviations, decimals or initials, so a library adds nothing here:
pysbd 0.3.4 and sentencex 1.0.32 gave the same 163 sentences, line for line.
test_splitter_assumptions_hold fails if a seed ever has text that would fool
the simple splitter; then use a library.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT
from pagelint.page import Renderer, read_page
from pagelint.references import source_key
from pagelint.siteconfig import SEEDS_DIR, load_site_config

DOCS = ROOT / "docs"
LEDGER = DOCS / "about/claims-ledger.md"
SEEDS = ROOT / SEEDS_DIR
DATA_FILE = ROOT / "tests/data/seed_claims.yml"
DATA = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
ARTICLES: dict = DATA["articles"]
CLAIMS: list[dict] = DATA["claims"]
NO_CLAIM: list[dict] = DATA["no_claim"]
FATES = ("kept", "corrected", "softened", "dropped")
# The collapsed block (admonition type) each fate's claims sit in on the page
FATE_BLOCK = {"kept": "success", "corrected": "warning", "softened": "info", "dropped": "failure"}
NO_CLAIM_REASONS = {"heading", "date", "navigation", "repeated", "advert"}
CONTENT_SECTIONS = ("causes/", "safety/", "techniques/", "course-planning/")
# The page lint's banned phrases: allowed only inside marked seed quotes
BANNED = re.compile(
    r"\b(cure[sd]?|once and for all|guaranteed|miracle|safest|completely safe|no side effects|"
    r"detox|toxins|clinically proven|instant relief|safe)\b|100%",
    re.I,
)
FIX = (
    f"add a claim whose quotes include it to {DATA_FILE.relative_to(ROOT)} and show it on "
    f"{LEDGER.relative_to(ROOT)}, or list it under no_claim with a reason ({', '.join(sorted(NO_CLAIM_REASONS))})"
)


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# Seed sentences ---------------------------------------------------------------


def split_sentences(text: str) -> list[str]:
    """Each non-blank line, whitespace collapsed, cut after . ! or ? and a space."""
    sentences = []
    for line in text.splitlines():
        line = normalise(line)
        if line:
            sentences.extend(s for s in re.split(r"(?<=[.!?]) ", line) if s)
    return sentences


def seed_text(seed: str) -> str:
    return (SEEDS / seed).read_text(encoding="utf-8")


def coverage_problems(seed: str, text: str, claims: list[dict], no_claim: list[dict]) -> list[str]:
    """Every sentence of the seed touched by a claim's quote or listed as no claim;
    every quote found in the seed; every no-claim entry a whole sentence of it."""
    title = ARTICLES[seed]["title"]
    sentences = split_sentences(text)
    joined = " ".join(sentences)  # the article with whitespace normalised
    spans, start = [], 0
    for sentence in sentences:
        spans.append((start, start + len(sentence)))
        start += len(sentence) + 1
    covered: dict[int, list[str]] = {}
    problems = []
    for claim in (c for c in claims if c["seed"] == seed):
        for quote in claim["quotes"]:
            quote = normalise(quote)
            at = joined.find(quote)
            if at < 0:
                problems.append(
                    f"{seed} ({title}): claim {claim['id']} quotes words that are not in the "
                    f"article: {quote!r} (copy the article's words exactly)"
                )
                continue
            for index, (begin, end) in enumerate(spans):
                if begin < at + len(quote) and at < end:
                    covered.setdefault(index, []).append(claim["id"])
    listed = {}
    for entry in (e for e in no_claim if e["seed"] == seed):
        sentence = normalise(entry["sentence"])
        if sentence not in sentences:
            problems.append(
                f"{seed} ({title}): no_claim lists {sentence!r}, which is not a sentence of the "
                f"article (give the whole sentence exactly as split_sentences() cuts it)"
            )
        listed[sentence] = entry
    for index, sentence in enumerate(sentences):
        if sentence in listed and index in covered:
            problems.append(
                f"{seed} ({title}): sentence {index + 1} {sentence!r} is listed as no claim but "
                f"claim {covered[index][0]} quotes it (keep one of the two)"
            )
        elif sentence not in listed and index not in covered:
            problems.append(f"{seed} ({title}): sentence {index + 1} is not accounted for: {sentence!r} ({FIX})")
    return problems


def test_seed_articles_are_in_the_repository():
    """The seed articles are test data inside the repository: nothing outside it is read."""
    assert SEEDS.resolve().is_relative_to(ROOT.resolve()), f"{SEEDS} is outside the repository"
    assert SEEDS.is_dir(), f"{SEEDS_DIR} is missing: the seed articles are test data kept in the repository"
    files = sorted(p.name for p in SEEDS.glob("*.txt"))
    assert files == sorted(ARTICLES), f"{SEEDS_DIR} holds {files}, seed_claims.yml lists {sorted(ARTICLES)}"
    assert (SEEDS / "README.md").is_file(), "say what the seed articles are and that they are never published"


def test_every_seed_named_anywhere_is_in_the_seed_folder(entries):
    """Seed-quote markers and pages' `seeds:` front matter name files of SEEDS_DIR only."""
    files = {p.name for p in SEEDS.glob("*.txt")}
    for entry in entries:
        assert entry["seed"] in files, f"a .seed-quote names {entry['seed']!r}, which is not in {SEEDS_DIR}"
    for page in sorted(DOCS.rglob("*.md")):
        if "includes" in page.relative_to(DOCS).parts:
            continue
        seeds = read_page(page, _SITE).meta.get("seeds") or []
        unknown = sorted(set(seeds) - files) if isinstance(seeds, list) else seeds
        assert not unknown, f"{page.relative_to(ROOT)}: seeds {unknown} are not in {SEEDS_DIR}"


def test_splitter_assumptions_hold():
    """The simple splitter is right only while no seed has an abbreviation, a
    decimal or a full stop inside a word; if one does, use a library (pysbd)."""
    fooling = re.compile(r"\b(?:[A-Z][a-z]{0,3}|e\.g|i\.e|etc|vs|No|Fig)\.\s+[a-z0-9]|\d\.\d|\w\.\w")
    for seed in ARTICLES:
        for line_number, line in enumerate(seed_text(seed).splitlines(), 1):
            match = fooling.search(line)
            assert not match, (
                f"{SEEDS_DIR}/{seed}:{line_number}: {match.group(0)!r} would fool the simple "
                f"sentence splitter; split with a library such as pysbd instead"
            )


@pytest.mark.parametrize("seed", sorted(ARTICLES))
def test_every_seed_sentence_is_accounted_for(seed):
    problems = coverage_problems(seed, seed_text(seed), CLAIMS, NO_CLAIM)
    assert not problems, "\n".join(problems)


def test_coverage_fails_when_a_claim_is_removed():
    claim = next(c for c in CLAIMS if c["id"] == "003-31")
    seed = claim["seed"]
    problems = coverage_problems(seed, seed_text(seed), [c for c in CLAIMS if c is not claim], NO_CLAIM)
    assert problems and all("is not accounted for" in p for p in problems), problems
    assert any("Experts identify the most common form" in p and ARTICLES[seed]["title"] in p for p in problems)


def test_coverage_fails_for_an_unknown_sentence():
    seed = sorted(ARTICLES)[2]
    text = seed_text(seed) + "\nMassage removes every trace of pain in one visit.\n"
    problems = coverage_problems(seed, text, CLAIMS, NO_CLAIM)
    assert len(problems) == 1, problems
    assert seed in problems[0] and ARTICLES[seed]["title"] in problems[0]
    assert "'Massage removes every trace of pain in one visit.'" in problems[0] and "no_claim" in problems[0]


def test_coverage_fails_for_a_misquote_and_a_stray_no_claim():
    seed = sorted(ARTICLES)[0]
    claims = [dict(CLAIMS[0], quotes=["massage cures all back pain"])] + CLAIMS[1:]
    no_claim = NO_CLAIM + [{"seed": seed, "sentence": "Not in the article.", "reason": "heading", "why": "x"}]
    problems = coverage_problems(seed, seed_text(seed), claims, no_claim)
    assert any("not in the article" in p and CLAIMS[0]["id"] in p for p in problems), problems
    assert any("'Not in the article.'" in p and "not a sentence" in p for p in problems), problems


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c["id"])
def test_quote_is_in_its_seed_article(claim):
    text = normalise(seed_text(claim["seed"]))
    for quote in claim["quotes"]:
        assert normalise(quote) in text, f"{claim['id']}: {quote!r} is not in {claim['seed']}"


def test_claim_list_is_well_formed():
    ids = [c["id"] for c in CLAIMS]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    for claim in CLAIMS:
        assert claim["seed"] in ARTICLES, claim["id"]
        assert claim["id"].startswith(claim["seed"][:3] + "-"), claim["id"]
        assert claim["fate"] in FATES, claim["id"]
        assert claim["quotes"] and all(isinstance(q, str) and q.strip() for q in claim["quotes"]), claim["id"]
        assert set(claim.get("brief", [])) <= set(ARTICLES[claim["seed"]]["brief"]), claim["id"]
    for entry in NO_CLAIM:
        assert entry["reason"] in NO_CLAIM_REASONS, entry
        assert entry.get("why", "").strip(), f"{entry['sentence']!r}: say why it makes no claim"


@pytest.mark.parametrize("seed", sorted(ARTICLES))
def test_every_brief_item_is_covered_by_a_claim(seed):
    covered = {item for c in CLAIMS if c["seed"] == seed for item in c.get("brief", [])}
    missing = set(ARTICLES[seed]["brief"]) - covered
    assert not missing, f"{seed}: brief items with no claim: {sorted(missing)}"


# The page ---------------------------------------------------------------------

_SITE = load_site_config(ROOT / "mkdocs.yml")
_RENDERER = Renderer(_SITE)


def render(text: str) -> BeautifulSoup:
    """The ledger's body as HTML, rendered as the site renders it, without the
    glossary definitions (popovers after a term's first use, hidden until
    opened: not part of the text a quote or a sentence is read from)."""
    page = read_page(LEDGER, _SITE, text=text)
    _RENDERER.render(page)
    soup = BeautifulSoup(page.html, "html.parser")
    for definition in soup.select("[popover]"):
        definition.decompose()
    return soup


def ledger_entries(soup: BeautifulSoup) -> list[dict]:
    """One entry per `.seed-quote` paragraph: its article heading, the fate of the
    collapsed block around it, the quote, and the fate paragraph after it."""
    entries = []
    for quote in soup.select("blockquote > p.seed-quote"):
        fate_p = quote.parent.find_next_sibling()
        strong = fate_p.find("strong") if fate_p is not None and fate_p.name == "p" else None
        block = quote.find_parent("details")
        heading = quote.find_previous("h2")
        entries.append(
            {
                "seed": quote.get("data-seed"),
                "quote": normalise(quote.get_text()),
                "fate": strong.get_text().strip(" .").lower() if strong else None,
                "block": next((f for f, cls in FATE_BLOCK.items() if block and cls in block.get("class", [])), None),
                "heading": normalise(heading.get_text()).rstrip("¶").strip() if heading else None,
                "fate_p": fate_p,
            }
        )
    return entries


def matches(claim: dict, entry: dict) -> bool:
    return entry["seed"] == claim["seed"] and all(normalise(q) in entry["quote"] for q in claim["quotes"])


def ledger_problems(soup: BeautifulSoup, claims: list[dict]) -> list[str]:
    """Every claim shown as a seed quote, from its seed, with its fate, in its fate's block."""
    entries = ledger_entries(soup)
    problems = []
    for claim in claims:
        found = [e for e in entries if matches(claim, e)]
        where = f"{claim['id']} ({ARTICLES[claim['seed']]['title']})"
        if not found:
            problems.append(
                f"{where}: no .seed-quote from {claim['seed']} shows {claim['quotes']!r} "
                f"(add it to {LEDGER.relative_to(ROOT)})"
            )
        elif found[0]["fate"] != claim["fate"]:
            problems.append(f"{where}: the page says {found[0]['fate']!r}, seed_claims.yml says {claim['fate']!r}")
        elif found[0]["block"] != claim["fate"]:
            problems.append(
                f"{where}: {claim['fate']} claim sits in the {found[0]['block']!r} block "
                f"(move it into the ??? {FATE_BLOCK[claim['fate']]} block)"
            )
    return problems


@pytest.fixture(scope="module")
def ledger_text() -> str:
    return LEDGER.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def soup(ledger_text) -> BeautifulSoup:
    return render(ledger_text)


@pytest.fixture(scope="module")
def entries(soup) -> list[dict]:
    return ledger_entries(soup)


def test_ledger_records_every_claim_with_its_fate(soup):
    assert ledger_problems(soup, CLAIMS) == []


def test_ledger_check_fails_when_a_claim_is_missing(ledger_text):
    claim = next(c for c in CLAIMS if c["id"] == "001-10")
    line = next(line for line in ledger_text.splitlines() if normalise(claim["quotes"][0]) in line)
    problems = ledger_problems(render(ledger_text.replace(line, "    > (removed)")), CLAIMS)
    assert len(problems) == 1 and problems[0].startswith("001-10"), problems


def test_ledger_check_fails_when_a_fate_is_wrong(soup):
    claim = next(c for c in CLAIMS if c["fate"] == "dropped")
    assert ledger_problems(soup, [dict(claim, fate="kept")]) != []


def test_ledger_has_no_unlisted_quotes(entries):
    for entry in entries:
        assert any(matches(c, entry) for c in CLAIMS), (
            f"a quote on the page is not in seed_claims.yml: {entry['quote']!r}"
        )


def test_each_claim_sits_under_its_article_title(soup, entries):
    headings = [normalise(h.get_text()).rstrip("¶").strip() for h in soup.find_all("h2")]
    for seed, article in ARTICLES.items():
        assert any(h.endswith(article["title"]) for h in headings), f"no heading names {article['title']!r}"
        assert seed not in headings and not any(seed in h for h in headings), "headings name titles, not files"
    for entry in entries:
        assert entry["heading"].endswith(ARTICLES[entry["seed"]]["title"]), (entry["quote"][:50], entry["heading"])


def test_file_names_are_in_small_print_for_contributors(soup):
    for seed in ARTICLES:
        small = [p for p in soup.select(".seed-file") if seed in p.get_text()]
        assert small, f"{seed}: no small-print .seed-file line"
        assert small[0].find_previous("h2").get_text().strip().rstrip("¶").strip().endswith(ARTICLES[seed]["title"])


def test_claims_are_collapsed_by_fate_with_counts(soup, entries):
    """Each article's claims sit in collapsed ??? blocks, one per fate, whose
    title says how many claims it holds."""
    for details in soup.find_all("details"):
        fate = next(f for f, cls in FATE_BLOCK.items() if cls in details.get("class", []))
        inside = details.select("blockquote > p.seed-quote")
        title = normalise(details.find("summary").get_text()).lower()
        assert "open" not in details.attrs, "the blocks start closed (???, not ???+)"
        assert title.startswith(fate) and re.search(rf"\b{len(inside)} claims?\b", title), title
    assert all(e["block"] for e in entries), "every claim sits in a collapsed block"


def summary_problems(soup: BeautifulSoup, entries: list[dict]) -> list[str]:
    """The numbered list of articles (linking their headings) and the table of
    fate x article counts before the first heading agree with the claims shown."""
    problems = []
    listing = soup.find("ol")
    table = soup.find("table")
    if listing is None or table is None or listing.find_previous("h2") or table.find_previous("h2"):
        return ["the page starts with a numbered list of the articles and a summary table, before the articles"]
    ids = {h.get("id"): normalise(h.get_text()).rstrip("¶").strip() for h in soup.find_all("h2")}
    seeds = sorted(ARTICLES)
    items = listing.find_all("li", recursive=False)
    if [normalise(li.get_text()) for li in items] != [ARTICLES[s]["title"] for s in seeds]:
        problems.append(f"the list names {[normalise(li.get_text()) for li in items]}, not the four titles in order")
    for li, seed in zip(items, seeds, strict=False):
        target = ids.get((li.find("a") or {}).get("href", "").removeprefix("#"))
        if not target or not target.endswith(ARTICLES[seed]["title"]):
            problems.append(f"{ARTICLES[seed]['title']!r}: its list item does not link to its heading")
    header = [normalise(th.get_text()).lower() for th in table.find_all("th")]
    if header != ["fate", *(str(i) for i in range(1, len(seeds) + 1)), "all"]:
        problems.append(f"table header is {header}")
    counts = Counter((e["seed"], e["fate"]) for e in entries)
    expected = [[f.capitalize(), *(counts[(s, f)] for s in seeds)] for f in FATES]
    expected.append(["Total", *(sum(counts[(s, f)] for f in FATES) for s in seeds)])
    rows = [[normalise(td.get_text()) for td in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")]
    for want, got in zip(expected, rows, strict=False):
        want = [str(x) for x in [*want, sum(want[1:])]]
        if got != want:
            problems.append(f"summary row {want[0]}: the table says {got[1:]}, the claims below make {want[1:]}")
    if len(rows) != len(expected):
        problems.append(f"the table has {len(rows)} rows, expected one per fate and a total")
    return problems


def test_summary_table_counts_match_the_page(soup, entries):
    assert summary_problems(soup, entries) == []


def test_summary_check_fails_when_a_count_is_wrong(ledger_text):
    row = next(line for line in ledger_text.splitlines() if line.startswith("| Softened |"))
    cells = row.split("|")
    cells[2] = f" {int(cells[2]) + 1} "
    broken = render(ledger_text.replace(row, "|".join(cells)))
    problems = summary_problems(broken, ledger_entries(broken))
    assert len(problems) == 1 and problems[0].startswith("summary row Softened"), problems


def test_sentence_counts_stated_on_the_page(soup):
    """The page says how many sentences there are and how many make no claim."""
    total = sum(len(split_sentences(seed_text(s))) for s in ARTICLES)
    text = normalise(soup.get_text(" "))
    assert f"{total} sentences" in text, f"the page should say the articles have {total} sentences"
    assert f"{len(NO_CLAIM)} of them make no claim" in text, f"the page should say {len(NO_CLAIM)} make no claim"


def test_disclaimer_comes_first_and_open(soup):
    box = soup.select_one("div.admonition")
    assert box is not None and box.find_parent("details") is None
    first_h2 = soup.find("h2")
    assert first_h2 is not None and box in first_h2.find_all_previous("div")


def test_advertisers_are_never_named(soup, ledger_text):
    text = soup.get_text(" ")
    for name in DATA["advertisers"]:
        assert name.lower() not in text.lower() and name.lower() not in ledger_text.lower(), name
    advert = [c for c in CLAIMS if "clinic-advert" in c.get("brief", [])]
    assert advert and advert[0]["fate"] == "dropped"


def _cites(page: Path, href: str) -> bool:
    """The page links to the source in its text or cites it in its front matter
    (`sources:` ids of docs/includes/references.yml, the registry)."""
    site_page = read_page(page, _SITE)
    _RENDERER.render(site_page)
    if f'href="{href}"' in site_page.html:
        return True
    wanted = source_key({"url": href})
    return any(
        source_key(_SITE.registry.by_id.get(ref, {})) == wanted
        for ref in site_page.meta.get("sources") or []
        if isinstance(ref, str)
    )


def test_fate_text_names_the_page_and_source_that_cover_it(entries):
    """Kept, corrected and softened claims link the page that now covers them;
    kept and corrected ones also a source, which that page (or one of the pages
    linked) cites too."""
    problems = []
    for entry in entries:
        label = f"{entry['seed'][:3]} {entry['quote'][:50]!r}"
        links = [a["href"] for a in entry["fate_p"].find_all("a")]
        pages = [h for h in links if h.endswith(".md")]
        external = [h for h in links if h.startswith("https://")]
        for href in pages:
            assert "#" not in href, f"{label}: link to pages, not anchors inside them"
            assert (LEDGER.parent / href).resolve().is_file(), f"{label}: broken link {href}"
        content_pages = [h for h in pages if h.removeprefix("../").startswith(CONTENT_SECTIONS)]
        if entry["fate"] in {"kept", "corrected", "softened"}:
            assert content_pages, f"{label}: no link to the page that covers it"
        if entry["fate"] in {"kept", "corrected"}:
            assert external, f"{label}: no source"
        problems += [
            f"{label}: none of the pages it links ({', '.join(pages)}) cites {source}"
            for source in external
            if not any(_cites((LEDGER.parent / h).resolve(), source) for h in pages)
        ]
    assert not problems, "\n".join(problems)


def test_fate_text_has_no_banned_phrases(soup):
    soup = BeautifulSoup(str(soup), "html.parser")
    for quote in soup.select("blockquote:has(> p.seed-quote)"):
        quote.decompose()
    text = soup.get_text(" ")
    assert not BANNED.findall(text), BANNED.findall(text)


@pytest.mark.browser
def test_ledger_reads_on_a_phone(browser, hosted_url):
    """On a 390 x 844 phone, in Chromium: nothing scrolls sideways, the summary
    table fits, every claim block starts closed and opens on a tap, and the
    page is a few screens long (it was 27 with every claim open)."""
    from playwright.sync_api import expect

    from browser_helpers import PHONE, goto, new_context

    context, recorder = new_context(browser, hosted_url, **PHONE)
    try:
        page = context.new_page()
        goto(page, recorder, hosted_url + "about/claims-ledger/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page scrolls sideways"
        table = page.locator(".ledger-summary table")
        box = table.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, f"summary table overflows: {box}"
        blocks = page.locator("article details")
        assert blocks.count() == len({(c["seed"], c["fate"]) for c in CLAIMS})
        assert page.locator("article details[open]").count() == 0, "claim blocks start closed"
        screens = page.evaluate("document.documentElement.scrollHeight") / 844
        assert screens < 10, f"the ledger is {screens:.1f} phone screens long"
        first = blocks.first
        first.locator("summary").tap()
        expect(first.locator(".seed-quote").first).to_be_visible()
        assert recorder.console_errors == [] and recorder.foreign() == []
    finally:
        context.close()
