"""A generated site of N pages that look like the real ones and satisfy the
page contract: front matter with sources and review dates, the disclaimer
include, a red-flags link, a few ## sections (including the two every
technique page needs), lists, a table, an admonition and links to
neighbouring pages and their headings. Built with the project's own theme,
overrides, hooks and Markdown extensions (a config that INHERITs mkdocs.yml)."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

import frontmatter

from .common import ROOT, variant_config

SECTIONS = ("causes", "techniques", "safety", "course-planning", "about")

# Plain sentences in the site's voice; none of them trips a claim rule
SENTENCES = (
    "Sciatica is pain that travels from the lower back or buttock down one leg.",
    "Most people feel better within a few weeks, even without treatment.",
    "Massage may ease pain for a short time for some people.",
    "It works best as part of a plan that includes exercise and staying active.",
    "Tell your therapist about any health problems and the medicines you take.",
    "Stop the session if the pain gets worse or spreads down your leg.",
    "A clinician can check what is causing your pain before you start.",
    "The studies on this are small, and most did not include people with sciatica.",
    "Some people feel sore for a day or two after a session.",
    "Gentle strokes come first, and firmer pressure comes later if it feels right.",
    "The therapist never presses on the bony parts of the spine.",
    "Keep a short diary of your pain, your sleep and what you could do each day.",
    "Bring the diary to your next appointment so you can talk it through.",
    "Long periods of sitting can make the pain worse, so take short breaks.",
    "Warmth before a session can help tight muscles relax.",
    "Ask how long each session lasts and how many sessions are planned.",
    "If nothing has changed after a few sessions, talk to your clinician.",
    "Numbness, tingling or weakness in the leg needs a check by a clinician.",
    "A qualified therapist will ask about your health before they begin.",
    "You can ask for lighter pressure at any time during the session.",
    "Drink some water and rest for a while after the session if you wish.",
    "Guidelines suggest massage only alongside exercise, not on its own.",
    "Walking a little every day helps many people recover.",
    "Pain that wakes you at night or comes with a fever needs a doctor soon.",
)
LIST_ITEMS = (
    "a blood-thinning medicine",
    "a recent injury or fall",
    "broken or infected skin",
    "a fever",
    "pregnancy",
    "a history of cancer",
    "severe osteoporosis",
    "a deep vein thrombosis",
    "gentle stretches each morning",
    "a short walk after meals",
    "a cushion for long drives",
    "a warm bath before bed",
    "breaks from sitting every half hour",
    "notes on what helps",
)
WORDS = (
    "Gentle",
    "Deep",
    "Classic",
    "Seated",
    "Short",
    "Weekly",
    "Morning",
    "Evening",
    "Partner",
    "Home",
    "Lower back",
    "Hip",
    "Leg",
    "Buttock",
    "First",
    "Follow-up",
)
NOUNS = ("massage", "stretch", "session", "routine", "check", "plan", "approach", "care", "visit")


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(rng.sample(SENTENCES, sentences))


def _title(rng: random.Random, number: int) -> str:
    return f"{rng.choice(WORDS)} {rng.choice(NOUNS)} {number}"


def page_text(
    rng: random.Random,
    title: str,
    red_flags: str,
    neighbours: list[tuple[str, str]],
    reviewed: dt.date,
    sources: tuple[str, ...] = ("nice-ng59", "furlan-2015"),
    cards: tuple[str, ...] = (),
) -> str:
    """One page of about 550 words, shaped like the site's technique pages,
    showing `cards` (snippet names) under the disclaimer."""
    rows = "\n".join(
        f"| {step} | {_paragraph(rng, 1)} | {rng.randint(5, 30)} minutes |"
        for step in ("Talk", "Warm-up", "Main part", "Cool-down")
    )
    items = lambda n: "\n".join(f"- {item}" for item in rng.sample(LIST_ITEMS, n))  # noqa: E731
    # A section with only one page has no neighbours: point at the red flags,
    # so no page has the empty section the page lint rejects
    links = (
        "\n".join(
            f"- [{name}]({target}) and [what the evidence says]({target}#what-the-evidence-says)"
            for name, target in neighbours
        )
        or f"- [Red flags]({red_flags})"
    )
    includes = "".join(f'\n--8<-- "{name}"\n' for name in cards)
    return f"""---
title: {title}
description: {rng.choice(SENTENCES)}
reviewed: {reviewed.isoformat()}
next_review: {(reviewed + dt.timedelta(days=365)).isoformat()}
reviewer: Editorial team
sources: [{", ".join(sources)}]
seeds: []
---

# {title}

--8<-- "disclaimer.md"
{includes}
{_paragraph(rng, 4)} If you notice any of the [red flags]({red_flags}), get help now.

## What it is

{_paragraph(rng, 5)}

{_paragraph(rng, 4)}

## What a session is like

{_paragraph(rng, 3)}

| Step | What happens | How long |
|---|---|---|
{rows}

## What the evidence says

{_paragraph(rng, 5)}

!!! note "In short"
    {_paragraph(rng, 2)}

## Who should avoid it

{_paragraph(rng, 2)} Tell the therapist first if you have:

{items(5)}

## What helps alongside it

{_paragraph(rng, 3)}

{items(4)}

## Related pages

{links}
"""


def generate(folder: Path, pages: int, seed: int = 9) -> Path:
    """Write a corpus of `pages` Markdown pages and its config into folder; return the config."""
    rng = random.Random(seed)
    docs = folder / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    # The real stylesheet and images: the same theme, the same extra_css
    shutil.copytree(ROOT / "docs/assets", docs / "assets")
    reviewed = dt.date.today() - dt.timedelta(days=10)

    # Home, one index per section, the pages every page links to (the red
    # flags, and the full disclaimer the short one links to), then the rest round-robin
    fixed = {"safety/red-flags.md": "Red flags - get help now", "about/disclaimer.md": "Disclaimer"}
    names: dict[str, list[str]] = {s: ["index.md"] for s in SECTIONS}
    for path in fixed:
        section, name = path.split("/")
        names[section].append(name)
    for number in range(max(0, pages - 1 - len(SECTIONS) - len(fixed))):
        names[SECTIONS[number % len(SECTIONS)]].append(f"page-{number:04d}.md")

    nav: list = [{"Home": "index.md"}]
    home_links = [(f"{s.replace('-', ' ').capitalize()}", f"{s}/index.md") for s in SECTIONS]
    _write(docs / "index.md", page_text(rng, "Home", "safety/red-flags.md", home_links[:2], reviewed))
    for section in SECTIONS:
        files = names[section]
        nav.append({section.replace("-", " ").capitalize(): [f"{section}/{name}" for name in files]})
        for index, name in enumerate(files):
            neighbours = [
                (f"Page {files[i]}", files[i])
                for i in (index - 1, (index + 1) % len(files))
                if i >= 0 and files[i] != name
            ]
            title = fixed.get(f"{section}/{name}") or _title(rng, index)
            _write(
                docs / section / name,
                page_text(
                    rng, title, "../safety/red-flags.md", neighbours, reviewed, **home_cards(f"{section}/{name}")
                ),
            )
    return variant_config(folder, docs_dir=docs, nav=nav)


def home_cards(path: str) -> dict:
    """For a page that is a card's home (CARD_HOMES), what the lint wants of it:
    it shows its cards and cites what they cite (the real page's sources)."""
    from pagelint.siteconfig import CARD_HOMES

    cards = tuple(name for name, home in CARD_HOMES.items() if home == path)
    if not cards:
        return {}
    return {"cards": cards, "sources": tuple(frontmatter.load(ROOT / "docs" / path)["sources"])}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def count_pages(docs: Path) -> int:
    return sum(1 for p in docs.rglob("*.md"))
