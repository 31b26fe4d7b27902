"""The claims ledger (docs/about/claims-ledger.md) records every claim of the
four seed articles listed in tests/data/seed_claims.yml, with its fate.

The ledger is parsed with the site's own Markdown extensions (attr_list and
md_in_html give the `.seed-quote` paragraphs their class and data-seed) and
read with BeautifulSoup. The seed articles live outside the repository, in
shared/seeds beside the checkout (as in CI); set SEEDS_DIR to use another folder.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import frontmatter
import markdown
import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT
from site_helpers import require

DOCS = ROOT / "docs"
LEDGER = DOCS / "about/claims-ledger.md"
CLAIMS = yaml.safe_load((ROOT / "tests/data/seed_claims.yml").read_text(encoding="utf-8"))
FATES = {"kept", "corrected", "softened", "dropped"}
CONTENT_SECTIONS = ("causes/", "safety/", "techniques/", "course-planning/")
# The page lint's banned phrases: allowed only inside marked seed quotes
BANNED = re.compile(
    r"\b(cure[sd]?|once and for all|guaranteed|miracle|safest|completely safe|no side effects|"
    r"detox|toxins|clinically proven|instant relief|safe)\b|100%",
    re.I,
)


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def seeds_dir() -> Path | None:
    candidates = [os.environ.get("SEEDS_DIR"), ROOT.parent / "shared/seeds"]
    return next((Path(c) for c in candidates if c and Path(c).is_dir()), None)


def parse_ledger(text: str) -> BeautifulSoup:
    """The ledger body as HTML, rendered like the site renders it."""
    body = frontmatter.loads(text).content
    html = markdown.markdown(body, extensions=["attr_list", "md_in_html", "admonition", "tables"])
    return BeautifulSoup(html, "html.parser")


def ledger_entries(soup: BeautifulSoup) -> list[dict]:
    """One entry per `.seed-quote` paragraph: seed, quote, fate and fate paragraph."""
    entries = []
    for quote in soup.select("blockquote > p.seed-quote"):
        fate_p = quote.parent.find_next_sibling()
        strong = fate_p.find("strong") if fate_p is not None and fate_p.name == "p" else None
        fate = strong.get_text().strip(" .").lower() if strong else None
        entries.append({
            "seed": quote.get("data-seed"),
            "quote": normalise(quote.get_text()),
            "fate": fate,
            "fate_p": fate_p,
        })
    return entries


def ledger_problems(text: str, claims: list[dict]) -> list[str]:
    """Every listed claim must appear as a seed quote, from its seed, with its fate."""
    entries = ledger_entries(parse_ledger(text))
    problems = []
    for claim in claims:
        quote = normalise(claim["quote"])
        found = [e for e in entries if e["seed"] == claim["seed"] and quote in e["quote"]]
        if not found:
            problems.append(f"{claim['id']}: no .seed-quote from {claim['seed']} contains {quote!r}")
        elif found[0]["fate"] != claim["fate"]:
            problems.append(f"{claim['id']}: fate is {found[0]['fate']!r}, expected {claim['fate']!r}")
    return problems


@pytest.fixture(scope="module")
def ledger_text() -> str:
    return LEDGER.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def entries(ledger_text) -> list[dict]:
    return ledger_entries(parse_ledger(ledger_text))


@pytest.mark.parametrize("claim", CLAIMS["claims"], ids=lambda c: c["id"])
def test_quote_is_in_its_seed_article(claim):
    folder = seeds_dir()
    # CI always has shared/ beside the clone: there a missing folder fails
    require(folder is not None, "seed articles not found in ../shared/seeds: set SEEDS_DIR")
    seed_text = normalise((folder / claim["seed"]).read_text(encoding="utf-8"))
    assert normalise(claim["quote"]) in seed_text


def test_claim_list_is_well_formed():
    ids = [c["id"] for c in CLAIMS["claims"]]
    assert len(ids) == len(set(ids)), "duplicate claim ids"
    for claim in CLAIMS["claims"]:
        assert claim["fate"] in FATES, claim["id"]
        assert claim["seed"] in CLAIMS["brief"], claim["id"]


@pytest.mark.parametrize("seed", sorted(CLAIMS["brief"]))
def test_every_brief_item_is_covered_by_a_claim(seed):
    covered = {item for c in CLAIMS["claims"] if c["seed"] == seed for item in c.get("covers", [])}
    missing = set(CLAIMS["brief"][seed]) - covered
    assert not missing, f"{seed}: brief items with no claim: {sorted(missing)}"


def test_clinic_advert_is_dropped():
    adverts = [c for c in CLAIMS["claims"] if "clinic-advert" in c.get("covers", []) and "Luces" in c["quote"]]
    assert adverts and all(c["fate"] == "dropped" for c in adverts)


def test_ledger_records_every_claim_with_its_fate(ledger_text):
    assert ledger_problems(ledger_text, CLAIMS["claims"]) == []


def test_ledger_check_fails_when_a_claim_is_missing(ledger_text):
    claim = CLAIMS["claims"][0]
    quote_line = f'> "{claim["quote"]}"'
    assert quote_line in ledger_text
    broken = ledger_text.replace(quote_line, "> (removed)")
    problems = ledger_problems(broken, CLAIMS["claims"])
    assert len(problems) == 1 and problems[0].startswith(claim["id"])


def test_ledger_check_fails_when_a_fate_is_wrong(ledger_text):
    claim = next(c for c in CLAIMS["claims"] if c["fate"] == "dropped")
    wrong = [dict(claim, fate="kept")]
    assert ledger_problems(ledger_text, wrong) != []


def test_ledger_has_no_unlisted_quotes(entries):
    listed = {(c["seed"], normalise(c["quote"])) for c in CLAIMS["claims"]}
    for entry in entries:
        assert any(seed == entry["seed"] and quote in entry["quote"] for seed, quote in listed), entry["quote"]


def test_ledger_groups_by_seed_file(ledger_text):
    soup = parse_ledger(ledger_text)
    headings = [h.get_text().strip() for h in soup.find_all("h2")]
    for seed in CLAIMS["brief"]:
        assert seed in headings
    for quote in soup.select("p.seed-quote"):
        section = quote.find_previous("h2").get_text().strip()
        assert section == quote["data-seed"], quote.get_text()
        assert quote.find_previous(["h2", "h3"]).name == "h3", "claims sit under a topic (H3)"


def test_fate_text_links_pages_and_sources(entries):
    for entry in entries:
        links = [a["href"] for a in entry["fate_p"].find_all("a")]
        pages = [h for h in links if h.startswith("../") and h.endswith(".md")]
        external = [h for h in links if h.startswith("https://")]
        for href in pages:
            target = (LEDGER.parent / href).resolve()
            assert target.is_file(), f"{entry['quote'][:40]}: broken link {href}"
        if entry["fate"] in {"kept", "corrected", "softened"}:
            assert any(h.removeprefix("../").startswith(CONTENT_SECTIONS) for h in pages), \
                f"{entry['quote'][:50]}: no link to the page that covers it"
        if entry["fate"] in {"kept", "corrected"}:
            assert external, f"{entry['quote'][:50]}: no source"
        assert "#" not in "".join(pages), "link to pages, not anchors inside them"


def test_fate_text_has_no_banned_phrases(ledger_text):
    soup = parse_ledger(ledger_text)
    for quote in soup.select("blockquote:has(> p.seed-quote)"):
        quote.decompose()
    text = soup.get_text(" ")
    assert not BANNED.findall(text), BANNED.findall(text)
