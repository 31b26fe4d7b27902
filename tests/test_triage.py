"""The triage lint (issue #24): a sentence, list item, row or box that names a
warning sign with an action must give the sign's level from
docs/includes/signs.yml, or link to the red flags page. Slower is an error,
faster a warning. Each case is a phrasing a contributor might write; the
first three are the clinical audit's D1 findings, as they stood on the site."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from pagelint.context import Context
from pagelint.runner import lint_page
from pagelint.siteconfig import load_site_config

PAGE = """\
---
title: Test page
description: A page for the triage lint.
reviewed: 2026-11-01
next_review: 2027-11-01
reviewer: Editorial team
sources: [nice-ng59]
seeds: []
---

# Test page

--8<-- "disclaimer.md"

Read the [red flags](../safety/red-flags.md) if you are worried ([NICE NG59](https://www.nice.org.uk/guidance/ng59)).

## Body

{body}
"""

# (text, rule or None): None means the text passes
TOO_SLOW = [
    # The audit's D1 findings, word for word
    (
        '!!! warning "See a doctor if"\n\n    - you have new or growing numbness or weakness in your leg or foot',
        "leg-weakness",
    ),
    ('!!! warning "See a doctor if"\n\n    - you have numbness or weakness in your leg or foot', "leg-weakness"),
    (
        '!!! warning "See a doctor if..."\n\n    Your leg pain is getting worse, you have new numbness or weakness, or the '
        "pain is stopping you from doing normal things.",
        "leg-weakness",
    ),
    ("See a doctor if you have new weakness in your leg.", "leg-weakness"),
    ("If your foot drags when you walk, book an appointment with your GP.", "leg-weakness"),
    ("Mention foot drop at your next appointment.", "leg-weakness"),
    ("If you cannot pee, see your GP.", "cannot-pee"),
    ("Tell your physiotherapist if you have a numb bum.", "saddle-numbness"),
    ("If you are numb when you wipe, wait and see if it settles.", "saddle-numbness"),
    ("Sciatica in both legs? Book an appointment with a physiotherapist.", "both-legs"),
    ("Contact your GP if you have problems with your bowels.", "bowel"),
    ("New erection problems are worth mentioning to your doctor.", "sexual"),
    ("If you have a high temperature with back pain, see a GP.", "fever"),
    ("Pain that is worse at night should be checked by a doctor.", "night-pain"),
    ("If you have lost weight without trying, get it checked by your GP.", "weight-loss"),
    ("Get medical advice if you have pain between your shoulder blades.", "upper-back"),
    ("If you have had cancer and now have back pain, tell your GP at your next visit.", "cancer-back-pain"),
    ("Before you continue:\n\n- you have chest pain\n- after a serious accident\n\nSee a GP first.", None),
    ("See a doctor if:\n\n- you have chest pain", "accident-chest-pain"),
    # Found by an attacker given only the rule's description (7 December 2026)
    ("If you cannot pee, see a chiropractor or osteopath.", "cannot-pee"),
    ("If you cannot pee, rest and give it a few weeks to settle.", "cannot-pee"),
    ("If you cannot pee, ring the surgery next week.", "cannot-pee"),
    ("If you can\u2019t pee, wait and see.", "cannot-pee"),
    ("If you cannot pee, wait and see [](../safety/red-flags.md).", "cannot-pee"),
    ("If you cannot pee, wait and see ([red flags](https://evil.example/red-flags)).", "cannot-pee"),
    ("##### If you cannot pee, wait and see\n\nMost people get better.", "cannot-pee"),
    ('!!! note "Cannot pee? Wait and see"', "cannot-pee"),
    (
        "<details markdown><summary>Cannot pee? Wait and see.</summary>\n\nMost people get better.\n\n</details>",
        "cannot-pee",
    ),
    ("| Sign | What to do |\n|---|---|\n| a lump in your back | See your GP |", "lump-shape"),
    ("If you have new numbness in one leg, mention it at your next appointment.", "new-numbness"),
    # Found by a second attacker (7 December 2026): the sign and the action in
    # different sentences, a heading, a list after two sentences, other
    # wordings, and characters that hide a word from a pattern
    ("Numbness around your bottom can mean nerve trouble. If you have it, book an appointment.", "saddle-numbness"),
    ('!!! emergency ""\n\n    Numbness around your bottom can be serious. Book an appointment.', "saddle-numbness"),
    ("### Numbness around your bottom\n\nBook an appointment with a GP.", "saddle-numbness"),
    (
        "Book an appointment if you have any of these. They are worth checking:\n\n- numbness around your bottom",
        "saddle-numbness",
    ),
    ("If you have numbness around your bottom, book a GP appointment.", "saddle-numbness"),
    ("Numb bum? Phone your GP practice.", "saddle-numbness"),
    ("If you have foot-drop, book an appointment.", "leg-weakness"),
    ("If you notice leg weakness, see a GP.", "leg-weakness"),
    ("If you have pain in both of your legs, see a GP.", "both-legs"),
    ("If you have trouble peeing, see a GP.", "cannot-pee"),
    ("If you have lost control of your blad\u00adder, see a GP.", "cannot-pee"),
    ("If you have pain in both\u200b legs, see a GP.", "both-legs"),
    ("If you can\u02bct pee, see a GP.", "cannot-pee"),
    ("<!-- triage-ok: x -->\nSee a doctor if you have weakness in your leg.", "leg-weakness"),
]
# Boxes that tell readers what to do about a sign, but are not the site's cards
# (the theme's small print): right or wrong level, they must be a card
BOX_NOT_CARD = [
    '!!! warning "When to get help"\n\n    - **Today:** new weakness in your leg or foot. Call [111](tel:111).',
    '!!! note "Numb leg?"\n\n    New numbness in one leg: see a GP or physiotherapist within a day or two.',
    "!!! tip\n\n    A high temperature with back pain needs help today: call 111.",
    '??? info "Foot drop"\n\n    Get help today: call 111.',
    "<details markdown><summary>Numb bum?</summary>\n\nCall 999.\n\n</details>",
    '<div class="admonition" markdown>\n\nIf your sciatica is getting worse, see a GP.\n\n</div>',
    # Found by the second attacker: boxes made another way, inside a card, with
    # the number only in a tap-to-call link, exempted by a stray seed quote, collapsed cards
    '<aside class="admonition warning" markdown>\n<p class="admonition-title">Foot drop?</p>\n\n'
    "Get help today: call 111.\n\n</aside>",
    "Foot drop? Get help today: call 111.\n{ .admonition .warning }",
    '!!! urgent "Get help today"\n\n    Some words.\n\n    !!! warning "Foot drop?"\n\n        Get help today: call 111.',
    '!!! warning "Foot drop?"\n\n    [Ring now](tel:111).',
    '!!! warning "Foot drop?"\n\n    Get help today: call 111.\n\n    > "spinal plate herniation"\n'
    '    > { .seed-quote data-search-exclude data-seed="000_7f775cdd14ecf367.txt" }',
    '??? urgent "More information"\n\n    A high temperature with back pain: call 111 today.',
]
TOO_FAST = [
    ("Call 999 if your sciatica is getting worse.", "getting-worse"),
    ("If your sciatica has not improved after a few weeks, go to A&E.", "not-improving"),
    ("If you have a fever with back pain, call an ambulance.", "fever"),
]
PASS = [
    "If you have new weakness in your leg, get help today: call 111.",
    "If your foot drags, call 111 or ask your GP for an urgent appointment today.",
    "A numb bum is an emergency: call 999.",
    "If you have pain between your shoulder blades, get help today.",
    "If your sciatica is getting worse, see a GP or physiotherapist.",
    "Weakness in your leg can be a warning sign: read the [red flags](../safety/red-flags.md).",
    "Sciatica can cause numbness in one leg.",
    "Massage does not help a fever.",
    "Ask a pharmacist first if you have asthma or hay fever.",
    "Your GP may ask about your bladder and bowels.",
    "<!-- triage-ok: quoting the old leaflet to correct it -->\nSee a doctor if you have weakness in your leg.",
    "Sciatica that is stopping you doing your normal activities? See a GP or physiotherapist.",
    "```text\nSee a doctor if you cannot pee.\n```",
    "New numbness in one leg? See a GP or physiotherapist within a day or two.",
    '!!! urgent "Get help today: call 111"\n\n    - new weakness in your leg or foot',
    '<section data-search-exclude markdown>\n\n--8<-- "urgency/ladder.md"\n\n</section>',
    '!!! warning "Ibuprofen does not suit everyone"\n\n    Ask a pharmacist first if you have asthma.',
    # The second attacker's false alarms
    '!!! tip "Staying active"\n\n    Walk a little today, and a little more tomorrow. If you feel unsteady, hold on to a rail.',
    "If your sciatica is in one leg, not both legs, see a GP if it is not improving after a few weeks.",
]


@pytest.fixture(scope="module")
def ctx(tmp_path_factory) -> tuple[Path, Context]:
    root = tmp_path_factory.mktemp("triage")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "docs/includes", root / "docs/includes")
    (root / "docs/causes").mkdir(parents=True)
    return root, Context.create(load_site_config(root / "mkdocs.yml"), dt.date(2026, 11, 21))


def triage(ctx, body: str) -> list:
    root, context = ctx
    path = root / "docs/causes/page.md"
    path.write_text(PAGE.replace("{body}", body), encoding="utf-8")
    found = lint_page(path, context).findings
    assert not [f for f in found if f.is_error and not f.rule.startswith("triage")], found
    return [f for f in found if f.rule.startswith("triage")]


@pytest.mark.parametrize("text, sign", TOO_SLOW, ids=[t[:40] for t, _ in TOO_SLOW])
def test_a_slower_action_than_the_signs_level_is_an_error(ctx, text, sign):
    found = triage(ctx, text)
    if sign is None:
        assert found == []
        return
    # A theme box is also told to be a card (see BOX_NOT_CARD)
    assert {f.rule for f in found} - {"triage-box-not-card"} == {"triage-too-slow"}, found
    slow = [f for f in found if f.rule == "triage-too-slow"]
    assert len(slow) == 1 and f"sign '{sign}'" in slow[0].message and slow[0].is_error
    assert slow[0].line >= 16 and slow[0].hint


@pytest.mark.parametrize("text, sign", TOO_FAST, ids=[t[:40] for t, _ in TOO_FAST])
def test_a_faster_action_is_a_warning(ctx, text, sign):
    found = triage(ctx, text)
    assert [f.rule for f in found] == ["triage-too-fast"], found
    assert f"sign '{sign}'" in found[0].message and not found[0].is_error


@pytest.mark.parametrize("text", BOX_NOT_CARD, ids=[t[:40] for t in BOX_NOT_CARD])
def test_a_box_about_a_sign_must_be_a_card(ctx, text):
    found = [f for f in triage(ctx, text) if f.rule == "triage-box-not-card"]
    assert len(found) == 1 and found[0].is_error, found
    assert found[0].line >= 16 and ("urgency/ladder.md" in found[0].hint or "open it" in found[0].hint)


@pytest.mark.parametrize("text", PASS, ids=[t[:40] for t in PASS])
def test_the_right_level_a_card_link_or_no_action_passes(ctx, text):
    assert triage(ctx, text) == []


def test_the_corpus_is_large_enough_both_ways():
    assert len(TOO_SLOW) + len(TOO_FAST) + len(BOX_NOT_CARD) + len(PASS) >= 30
    assert len(TOO_SLOW) >= 15 and len(PASS) >= 10


def test_the_real_pages_give_every_sign_its_level():
    """Through the lint's own entry point, as `make lint` runs it."""
    from pagelint.cli import main

    assert main(["docs", "--format", "json"]) == 0


def test_a_broken_table_is_an_error_on_every_page_that_shows_a_card(tmp_path):
    """The lint run on its own (without `make signs` first) does not pass pages unchecked."""
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "docs/includes", tmp_path / "docs/includes")
    table = tmp_path / "docs/includes/signs.yml"
    table.write_text(table.read_text().replace("  routine:\n", "  later:\n"))
    (tmp_path / "docs/causes").mkdir(parents=True)
    page = tmp_path / "docs/causes/page.md"
    body = '<section data-search-exclude markdown>\n\n--8<-- "urgency/urgent.md"\n\n</section>'
    page.write_text(PAGE.replace("{body}", body), encoding="utf-8")
    context = Context.create(load_site_config(tmp_path / "mkdocs.yml"), dt.date(2026, 11, 21))
    found = [f for f in lint_page(page, context).findings if f.rule == "signs-table-invalid"]
    assert len(found) == 1 and found[0].is_error and "signs.yml" in found[0].message
