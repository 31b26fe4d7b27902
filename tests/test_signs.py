"""The warning signs are data (issue #24): docs/includes/signs.yml defines each
sign once, with its level, its words, its lay words and its sources; the
three urgency cards are generated from it (scripts/pagelint/signs.py). The
committed cards must be what the table gives; a change to the table must
reach the red flags page and the checker; a broken table is refused with its
file, line and fix, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import BUILD_ENV, ROOT
from site_helpers import copy_project

sys.path.insert(0, str(ROOT / "scripts"))
from pagelint import signs

TABLE_TEXT = signs.TABLE.read_text(encoding="utf-8")


def test_the_committed_cards_are_generated_from_the_table():
    table = signs.load()
    assert signs.stale_cards(table) == [], "run `make signs` and commit the cards"
    assert [len(table.of_level(level)) for level in signs.LEVELS] == [10, 12, 4]


def test_every_sign_has_lay_words_and_a_registered_source():
    table = signs.load()
    for sign in table.signs:
        assert sign.lay and sign.sources, sign.id
    # Lay words people type, as the issue lists them, each on a sign
    lay = " | ".join(word.lower() for sign in table.signs for word in sign.lay)
    for words in ("numb bum", "can't pee", "wet myself", "foot drags", "weak ankle"):
        assert words in lay, words


def cards_from(tmp_path, old: str, new: str):
    """Write the cards from a copy of the table with old replaced by new: (table, cards folder)."""
    table_path = tmp_path / "signs.yml"
    table_path.write_text(TABLE_TEXT.replace(old, new))
    cards = tmp_path / "urgency"
    cards.mkdir()
    assert signs.main(["--table", str(table_path), "--cards", str(cards)]) == 0
    return table_path, cards


def test_a_changed_sign_reaches_every_card_file_it_belongs_to(tmp_path):
    table_path, cards = cards_from(tmp_path, "text: sciatica in both legs", "text: sciatica down both of your legs")
    assert "    - sciatica down both of your legs\n" in (cards / "emergency.md").read_text()
    assert signs.main(["--table", str(table_path), "--cards", str(cards), "--check"]) == 0
    assert signs.main(["--table", str(signs.TABLE), "--cards", str(cards), "--check"]) == 1


BROKEN = {
    "unknown key": ("  - id: both-legs\n", "  - id: both-legs\n    urgency: high\n", "unknown key 'urgency'"),
    "missing lay words": (
        "    lay: [pain down both legs, both legs hurt, sciatica on both sides, pain in both legs]\n",
        "",
        "has no 'lay'",
    ),
    "slower level spelled wrong": (
        "    level: emergency\n    text: sciatica in both legs",
        "    level: routine-ish\n    text: sciatica in both legs",
        "level 'routine-ish'",
    ),
    "duplicate id": ("  - id: weakness-both-legs\n", "  - id: both-legs\n", "used twice"),
    "unregistered source": (
        "    sources: [nhs-sciatica]\n    match: ['(?:sciatica",
        "    sources: [nhs-sciatic]\n    match: ['(?:sciatica",
        "references.yml does not list",
    ),
    "bad id": ("  - id: both-legs\n", "  - id: Both Legs\n", "lower-case words"),
    "lay words at two levels": (
        "lay: [losing weight, weight loss and back pain]",
        "lay: [losing weight, numb when I wipe]",
        "lay words 'numb when I wipe'",
    ),
    "yaml syntax": ("    text: sciatica in both legs\n", "    text: [sciatica in both legs\n", "not valid YAML"),
    "levels out of order": ("  urgent:\n    actions:", "  urgentt:\n    actions:", "give exactly"),
    "pattern that is not a pattern": (
        "match: ['high temperature', '(?<!hay )fever']",
        "match: ['high (temperature', '(?<!hay )fever']",
        "not a valid pattern",
    ),
    "pattern that matches anything": (
        "match: ['high temperature', '(?<!hay )fever']",
        "match: ['high temperature', '.*']",
        "matches empty text",
    ),
    "routine level lost": ("  routine:\n", "  later:\n", "give exactly"),
    "summary that names a faster sign": (
        "        Within a day or two if you have new numbness in one leg or foot",
        "        Within a day or two if you cannot pee, or have new numbness in one leg or foot",
        "soon's summary names 'cannot pee', sign 'cannot-pee' of level 'emergency'",
    ),
    # Read as a reader reads them: markup, entities and apostrophes do not hide a sign
    "summary with a sign in bold": (
        "        If you have new weakness in a leg or foot, or weakness that is growing,",
        "        If you have sciatica in both **legs**, or new weakness in a leg or foot, or weakness that is growing,",
        "urgent's summary names 'sciatica in both legs'",
    ),
    "summary with a curly apostrophe": (
        "        If you have new weakness in a leg or foot, or weakness that is growing,",
        "        If you can\u2019t pee, or have new weakness in a leg or foot, or weakness that is growing,",
        "urgent's summary names 'can't pee'",
    ),
    "card text naming a faster sign": (
        "    after: Outside the UK, see your usual doctor or physiotherapist.",
        "    after: Pain in both legs? Book an appointment too.",
        "soon's after names",
    ),
    "summary missing": (
        "    summary:\n      title: See a GP or physiotherapist\n",
        "    summery:\n      title: x\n",
        "unknown key 'summery'",
    ),
    "empty text": (
        "    text: is getting worse ([NHS](https://www.nhs.uk/conditions/sciatica/))\n",
        "    text: ''\n",
        "non-empty text",
    ),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_a_broken_table_is_refused_with_file_line_and_fix(tmp_path, case, capsys):
    old, new, message = BROKEN[case]
    assert old in TABLE_TEXT, f"the case no longer matches the table: {old!r}"
    table_path = tmp_path / "signs.yml"
    table_path.write_text(TABLE_TEXT.replace(old, new, 1))
    cards = tmp_path / "urgency"
    cards.mkdir()
    assert signs.main(["--table", str(table_path), "--cards", str(cards)]) == 2
    err = capsys.readouterr().err
    assert message in err, err
    assert f"{table_path}:" in err and "Traceback" not in err
    line = int(err.split(f"{table_path}:", 1)[1].split(":", 1)[0])
    assert 1 <= line <= len(table_path.read_text().splitlines())
    assert list(cards.iterdir()) == [], "a broken table writes no card"


def test_the_ladder_is_one_small_card_per_level_from_the_table(tmp_path):
    _, cards = cards_from(tmp_path, "Within a day or two if you have", "Within 48 hours if you have")
    ladder = (cards / "ladder.md").read_text()
    assert [line.split()[1] for line in ladder.splitlines() if line.startswith("!!! ")] == list(signs.LEVELS)
    assert "Within 48 hours if you have new numbness" in ladder
    assert ladder.startswith('<div class="ladder" markdown>') and ladder.rstrip().endswith("</div>")


def test_the_cli_runs_as_make_runs_it():
    result = subprocess.run(
        [sys.executable, "-m", "pagelint.write_cards", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.build
def test_a_changed_sign_shows_on_the_red_flags_page_and_in_the_checker(tmp_path):
    """Change one sign's words in the table, rebuild, and both pages show it."""
    work = copy_project(tmp_path / "repo")
    table = work / "docs/includes/signs.yml"
    table.write_text(table.read_text().replace("text: sciatica in both legs", "text: sciatica going down both legs"))
    env = {k: v for k, v in BUILD_ENV.items() if k != "OFFLINE"}
    # What `make site` does: write the cards, then the fail-closed build
    for command in ([sys.executable, "scripts/pagelint/signs.py"], [sys.executable, "scripts/build_site.py"]):
        result = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    for page in ("safety/red-flags/index.html", "safety/do-i-need-urgent-help/index.html"):
        soup = BeautifulSoup((work / "site" / page).read_text(encoding="utf-8"), "lxml")
        for definition in soup.select("[popover]"):  # glossary definitions, shown on demand
            definition.decompose()
        items = [" ".join(li.get_text(" ").split()) for li in soup.select("article .admonition.emergency li")]
        assert "sciatica going down both legs" in items, (page, items)
        assert "sciatica in both legs" not in items, page


def test_the_table_is_yaml_an_editor_can_read():
    data = yaml.safe_load(TABLE_TEXT)
    assert set(data) == {"levels", "signs"}
    assert Path(signs.TABLE).parent == ROOT / "docs/includes"
