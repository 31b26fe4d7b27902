"""The page lint (scripts/pagelint): one good and one bad case per rule, the
tricky cases from issue #3, the CLI's outputs and exit codes, --fix, the
MkDocs hook and the built-site check. Pages are written into a temporary
copy of the project so that sections and snippets work as on the real site."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from conftest import BUILD_ENV, ROOT
from site_helpers import copy_project

sys.path.insert(0, str(ROOT / "scripts"))
from pagelint.cli import main as lint_main
from pagelint.context import Context
from pagelint.runner import lint_page
from pagelint.siteconfig import load_site_config

TODAY = dt.date(2026, 11, 21)
LINT = [sys.executable, str(ROOT / "scripts/lint_pages.py"), "--today", TODAY.isoformat()]


def lint_cli(argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """The lint's main() run in this process, as sphinx-lint's tests do: the
    same arguments, exit code and output as scripts/lint_pages.py, without a
    Python start-up per call (the script itself runs in the
    --list-rules test below and in the corpus tests)."""
    out, err, before = io.StringIO(), io.StringIO(), os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = lint_main(["--today", TODAY.isoformat(), *argv])
    finally:
        os.chdir(before)
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


GOOD = """\
---
title: Cupping
description: What cupping is and what the evidence says.
reviewed: 2026-11-01
next_review: 2027-11-01
reviewer: Editorial team
sources: [nccih-cupping, furlan-2015]
seeds: [003_53b669692b53e4fa.txt]
---

# Cupping

--8<-- "disclaimer.md"

Cupping uses cups on the skin ([NCCIH](https://www.nccih.nih.gov/health/cupping)). There is no cure for sciatica, and massage cannot cure it.
If you have any [red flags](../safety/red-flags.md), get help now.

## What the evidence says

The evidence is weak. There is no guarantee it will help you.

## Who should avoid it

People with broken skin.
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("project")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "docs/includes", root / "docs/includes")
    for section in ("causes", "techniques", "safety", "course-planning", "about"):
        (root / "docs" / section).mkdir(parents=True)
    return root


@pytest.fixture(scope="module")
def ctx(project) -> Context:
    return Context.create(load_site_config(project / "mkdocs.yml"), TODAY)


def write(project: Path, text: str | bytes, name: str = "techniques/page.md") -> Path:
    path = project / "docs" / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def findings(project, ctx, text, name="techniques/page.md"):
    return lint_page(write(project, text, name), ctx).findings


def rules(project, ctx, text, name="techniques/page.md") -> set[str]:
    return {f.rule for f in findings(project, ctx, text, name)}


def test_the_good_page_is_clean(project, ctx):
    assert findings(project, ctx, GOOD) == []


END = len(GOOD.splitlines()) + 2  # the line of a sentence appended as "\n" + text

# One bad case per rule: (rule id, change to GOOD, expected line or None)
BAD = [
    ("front-matter-missing", lambda t: t.split("---\n", 2)[2], 1),
    ("front-matter-yaml", lambda t: t.replace("title: Cupping", "title: [Cupping"), None),
    ("front-matter-key", lambda t: t.replace("reviewer: Editorial team\n", ""), 1),
    ("front-matter-placeholder", lambda t: t.replace("Editorial team", '"TODO: who checked it"'), 6),
    ("description-one-sentence", lambda t: t.replace("says.", "says. It is short."), 3),
    ("review-date", lambda t: t.replace("reviewed: 2026-11-01", "reviewed: 2026-13-01"), 4),
    ("review-date", lambda t: t.replace("reviewed: 2026-11-01", "reviewed: 2026-12-25"), 4),
    ("review-date", lambda t: t.replace("next_review: 2027-11-01", "next_review: 2030-11-02"), 5),
    ("review-overdue", lambda t: t.replace("next_review: 2027-11-01", "next_review: 2026-11-20"), 5),
    ("review-due-soon", lambda t: t.replace("next_review: 2027-11-01", "next_review: 2026-12-10"), 5),
    ("sources-missing", lambda t: t.split("sources:")[0] + "sources: []\nseeds:" + t.split("seeds:")[1], 7),
    ("source-invalid", lambda t: t.replace("sources: [nccih-cupping, furlan-2015]", "sources: nccih-cupping"), 7),
    ("source-unknown", lambda t: t.replace("furlan-2015]", "furlan-2051]"), 7),
    (
        "source-unknown",
        lambda t: t.replace("sources: [nccih-cupping, furlan-2015]", "sources:\n  - nccih-cupping\n  - nobody-2099"),
        9,
    ),
    # The old form: each source written out in the front matter
    (
        "source-format",
        lambda t: t.replace(
            "sources: [nccih-cupping, furlan-2015]",
            'sources:\n  - title: "NCCIH. Cupping"\n    url: https://www.nccih.nih.gov/health/cupping',
        ),
        8,
    ),
    # An inline link to a registered source the page does not cite, by URL or by DOI in any spelling
    (
        "source-not-cited",
        lambda t: t.replace("(https://www.nccih.nih.gov/health/cupping)", "(https://www.nhs.uk/conditions/sciatica)"),
        15,
    ),
    (
        "source-not-cited",
        lambda t: t + "\nA trial ([Cherkin](https://doi.org/10.1059/0003-4819-155-1-201107050-00002)).\n",
        END,
    ),
    ("source-not-cited", lambda t: t + "\nA guideline ([ACP](https://dx.doi.org/10.7326/m16-2367)).\n", END),
    # An inline link to a source-like site that is not registered at all
    ("source-unregistered", lambda t: t + "\nA study ([Smith](https://doi.org/10.1234/not-registered)).\n", END),
    ("source-unregistered", lambda t: t + "\nNICE says ([NICE](https://www.nice.org.uk/guidance/ng999)).\n", END),
    ("source-unregistered", lambda t: t + "\nSee ([PubMed](https://pubmed.ncbi.nlm.nih.gov/12345/)).\n", END),
    ("sources-handwritten", lambda t: t + "\n## Sources\n\n- [NCCIH](https://www.nccih.nih.gov/health/cupping)\n", END),
    # A card shown on the page brings its citations: the page lists their ids too
    ("include-source-not-cited", lambda t: t + '\n--8<-- "urgency/soon.md"\n', END),
    # A card shown away from its home page goes into the search index again
    ("card-copy-in-search", lambda t: t + '\n--8<-- "urgency/soon.md"\n', END),
    (
        "section-empty",
        lambda t: t.replace("## Who should avoid it", "## How long it takes\n\n## Who should avoid it"),
        None,
    ),
    ("section-empty", lambda t: t + "\n## Anything else\n", END),
    ("placeholder-text", lambda t: t.replace("People with broken skin.", "TODO: who should avoid it."), None),
    ("seeds-invalid", lambda t: t.replace("003_53b669692b53e4fa.txt", "article3.txt"), 8),
    ("disclaimer-missing", lambda t: t.replace('--8<-- "disclaimer.md"\n', ""), 12),
    ("snippet-missing", lambda t: t.replace('"disclaimer.md"', '"disclaimr.md"'), 13),
    ("red-flags-link", lambda t: t.replace("[red flags](../safety/red-flags.md)", "red flags"), 14),
    ("technique-section", lambda t: t.replace("## Who should avoid it", "## Other notes"), None),
    ("technique-section", lambda t: t.replace("## What the evidence says", "## Studies"), None),
    ("claim-cure", lambda t: t + "\nMassage cures sciatica.\n", END),
    ("claim-once-and-for-all", lambda t: t + "\nIt goes once and for all.\n", END),
    ("claim-guarantee", lambda t: t + "\nResults are guaranteed.\n", END),
    ("claim-miracle", lambda t: t + "\nA miracle treatment.\n", END),
    ("claim-100-percent", lambda t: t + "\nIt works 100% of the time.\n", END),
    ("claim-safest", lambda t: t + "\nThe safest method.\n", END),
    ("claim-completely-safe", lambda t: t + "\nIt is completely safe.\n", END),
    ("claim-no-side-effects", lambda t: t + "\nIt has no side effects.\n", END),
    ("claim-detox", lambda t: t + "\nIt flushes out toxins.\n", END),
    ("claim-immune", lambda t: t + "\nIt boosts the immune system.\n", END),
    ("claim-clinically-proven", lambda t: t + "\nIt is clinically proven.\n", END),
    ("claim-instant-relief", lambda t: t + "\nFeel instant relief.\n", END),
    ("unsafe-markup", lambda t: t + "\n<script>alert(1)</script>\n", END),
    ("unsafe-markup", lambda t: t + '\n<iframe src="https://example.org"></iframe>\n', END),
    ("unsafe-markup", lambda t: t + '\n<object data="x.swf"></object>\n', END),
    ("unsafe-markup", lambda t: t + '\n<p onclick="steal()">Hi</p>\n', END),
    ("unsafe-markup", lambda t: t + "\n[click](javascript:alert(1))\n", END),
    ("seed-quote-marker", lambda t: t + '\nPlain text.\n{ .seed-quote data-seed="003_53b669692b53e4fa.txt" }\n', None),
]


@pytest.mark.parametrize("rule,change,line", BAD, ids=[f"{r}-{i}" for i, (r, _, _) in enumerate(BAD)])
def test_each_rule_catches_its_fault(project, ctx, rule, change, line):
    found = [f for f in findings(project, ctx, change(GOOD)) if f.rule == rule]
    assert found, f"{rule} not reported"
    assert all(f.hint for f in found), "every finding suggests a fix"
    if line is not None:
        assert found[0].line == line


def test_claim_reports_line_and_column(project, ctx):
    (finding,) = [f for f in findings(project, ctx, GOOD + "\nSome say it cured them.\n") if f.rule == "claim-cure"]
    assert (finding.line, finding.col) == (END, 13)
    assert "may ease" in finding.hint


@pytest.mark.parametrize(
    "text",
    [
        "There is no cure for sciatica.",
        "Sciatica cannot be cured by massage.",
        "Massage will not cure it.",
        "Nobody can guarantee results: there is no guarantee.",
        "It doesn't cure anything.",
    ],
)
def test_negated_claims_are_not_flagged(project, ctx, text):
    assert not {r for r in rules(project, ctx, GOOD + f"\n{text}\n") if r.startswith("claim-")}


QUOTE = '> "Massage will cure sciatica once and for all."\n'
MARK = '> { .seed-quote data-seed="003_53b669692b53e4fa.txt" }\n'


def test_marked_seed_quote_is_not_flagged_but_the_same_text_unmarked_is(project, ctx):
    assert not {r for r in rules(project, ctx, GOOD + "\n" + QUOTE + MARK) if r.startswith("claim-")}
    assert {"claim-cure", "claim-once-and-for-all"} <= rules(project, ctx, GOOD + "\n" + QUOTE)


def test_claim_in_an_html_comment_is_not_flagged(project, ctx):
    assert "claim-cure" not in rules(project, ctx, GOOD + "\n<!-- old text: cures sciatica -->\n")


# The disclaimer must be seen by readers --------------------------------------

INCLUDE = '--8<-- "disclaimer.md"'
HIDDEN = {
    "an HTML comment": lambda t: t.replace(INCLUDE, f"<!--\n{INCLUDE}\n-->"),
    "a code block": lambda t: t.replace(INCLUDE, f"```\n{INCLUDE}\n```"),
    "an indented code block": lambda t: t.replace(INCLUDE, f"    {INCLUDE}"),
    "a collapsed ??? block": lambda t: t.replace(INCLUDE, '??? info "More"\n\n    ' + INCLUDE),
    "after the first H2": lambda t: t.replace(INCLUDE + "\n", "").replace(
        "The evidence is weak.", f"The evidence is weak.\n\n{INCLUDE}\n"
    ),
}


@pytest.mark.parametrize("where", HIDDEN)
def test_a_disclaimer_readers_cannot_see_does_not_count(project, ctx, where):
    found = {f.rule: f for f in findings(project, ctx, HIDDEN[where](GOOD))}
    assert {"disclaimer-missing", "disclaimer-placement", "snippet-missing"} & set(found), found


def test_disclaimer_written_out_by_hand_counts_only_if_identical(project, ctx):
    copied = (ROOT / "docs/includes/disclaimer.md").read_text()
    assert "disclaimer-missing" not in rules(project, ctx, GOOD.replace(INCLUDE, copied))
    assert "disclaimer-missing" in rules(project, ctx, GOOD.replace(INCLUDE, copied.replace("clinician", "therapist")))


# Encodings and odd files ----------------------------------------------------


def test_crlf_and_bom_pages_lint_like_any_other(project, ctx):
    assert findings(project, ctx, b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode()) == []
    bad = GOOD.replace("reviewed: 2026-11-01", "reviewed: 2026-12-25").replace("\n", "\r\n")
    (finding,) = [f for f in findings(project, ctx, b"\xef\xbb\xbf" + bad.encode()) if f.rule == "review-date"]
    assert finding.line == 4


def test_bytes_that_are_not_utf8_give_a_clear_error(project):
    path = write(project, GOOD.encode().replace(b"Cupping uses", b"Cupping \xff uses"))
    result = lint_cli([str(path)], cwd=project)
    assert result.returncode == 1
    assert "file-encoding" in result.stdout and "UTF-8" in result.stdout
    assert "Traceback" not in result.stderr


def test_empty_file(project, ctx):
    assert "front-matter-missing" in rules(project, ctx, "")
    assert "disclaimer-missing" in rules(project, ctx, "")


def test_yaml_error_names_file_and_line(project):
    path = write(project, GOOD.replace("reviewer: Editorial team", "reviewer: [Editorial team"))
    result = lint_cli([str(path)], cwd=project)
    assert result.returncode == 1
    line = next(l for l in result.stdout.splitlines() if "front-matter-yaml" in l)
    assert line.startswith(f"{path.relative_to(project)}:") or line.startswith(f"{path}:")
    assert line.split(":")[1] in {"6", "7"}  # the line with the open bracket, or where YAML notices


# CLI: formats and exit codes -------------------------------------------------


def test_cli_exit_codes_and_formats(project):
    good = write(project, GOOD, "techniques/good.md")
    bad = write(project, GOOD + "\nMassage cures sciatica.\n", "techniques/bad.md")
    warn = write(project, GOOD.replace("next_review: 2027-11-01", "next_review: 2026-12-10"), "techniques/warn.md")
    run = lambda *a: lint_cli(list(a), cwd=project)

    assert run(str(good)).returncode == 0
    assert run(str(warn)).returncode == 0, "warnings alone do not fail"
    text = run(str(bad))
    assert text.returncode == 1
    assert text.stderr.strip() == "1 page: 1 error, 0 warnings", "counts in the singular when there is one"
    assert run(str(good), str(warn)).stderr.strip() == "2 pages: 0 errors, 1 warning"
    assert f"{bad.relative_to(project)}:{END}:9: claim-cure absolute claim: 'cures' (" in text.stdout

    data = json.loads(run(str(bad), "--format", "json").stdout)
    assert [(d["rule"], d["line"], d["col"], d["severity"]) for d in data] == [("claim-cure", END, 9, "error")]
    assert {"path", "line", "col", "rule", "message", "hint", "severity"} <= set(data[0])

    github = run(str(bad), "--format", "github").stdout
    assert github.startswith("::error file=") and f",line={END},col=9,title=claim-cure::" in github

    missing = run("no/such/path.md")
    assert missing.returncode == 2 and missing.stderr.strip().startswith("lint_pages: no such file")
    assert "Traceback" not in missing.stderr


def test_summary_prints_grade_and_words(project):
    page = write(project, GOOD, "techniques/summary.md")
    out = lint_cli([str(page), "--summary"], cwd=project).stdout
    assert "| page | grade | words |" in out and "summary.md" in out
    assert "reading age is about grade + 5" in out


# --fix only adds ---------------------------------------------------------------


def test_fix_adds_the_disclaimer_and_changes_nothing_else(project):
    original = b"\xef\xbb\xbf" + GOOD.replace(INCLUDE + "\n", "").replace("\n", "\r\n").encode()
    path = write(project, original, "techniques/fixme.md")
    before = lint_cli([str(path)], cwd=project)
    assert before.returncode == 1 and path.read_bytes() == original, "no change without --fix"

    after = lint_cli([str(path), "--fix"], cwd=project)
    assert after.returncode == 0, after.stdout
    fixed = path.read_bytes()
    head, tail = original.split(b"# Cupping\r\n", 1)
    assert fixed == head + b"# Cupping\r\n" + b'\r\n--8<-- "disclaimer.md"\r\n' + tail


def test_fix_adds_a_front_matter_skeleton_that_still_needs_a_person(project):
    body = GOOD.split("---\n", 2)[2]
    path = write(project, body, "about/fixme.md")
    lint_cli([str(path), "--fix"], cwd=project)
    fixed = path.read_text()
    assert fixed.endswith(body) and fixed.startswith("---\ntitle: Cupping\n")
    result = lint_cli([str(path)], cwd=project)
    assert result.returncode == 1 and "front-matter-placeholder" in result.stdout


# Urgency: emergency and urgent signs are defined once (issue #12) ------------

CARD = (ROOT / "docs/includes/urgency/emergency.md").read_text()
RETYPED = {
    "a bullet list in a danger box": (
        '!!! danger "Call 999 or go to A&E now if you have"\n\n'
        "    - numbness around your genitals\n    - new problems peeing or pooing\n",
        "urgency/emergency.md",
    ),
    "a list under a heading": (
        "### Call 999 if\n\n- numbness around your bottom\n- weakness in both legs\n",
        "urgency/emergency.md",
    ),
    "a sentence": (
        "If you have numbness around your genitals, or weakness in both legs, this is an emergency.\n",
        "urgency/emergency.md",
    ),
    "a table": (
        "| Sign | What to do |\n|---|---|\n| You cannot control your bladder | Go to A&E |\n"
        "| Tingling around your anus | Go to A&E |\n",
        "urgency/emergency.md",
    ),
    "a table with the action in its header": (
        "| Call an ambulance for | |\n|---|---|\n| saddle numbness | now |\n",
        "urgency/emergency.md",
    ),
    "an urgent list": ("Call 111 the same day if you cannot control when you poo.\n", "urgency/urgent.md"),
    "a list of same-day signs without cauda equina words": (
        '!!! warning "See a doctor urgently if you have back pain and"\n\n'
        "    - a high temperature\n    - you have lost weight without trying\n    - it is worse at night\n",
        "urgency/urgent.md",
    ),
    "a nested list in a numbered step": (
        "1. **Emergency signs?**\n    - loss of sexual feeling\n    - sciatica on both sides\n",
        "urgency/emergency.md",
    ),
    "the card copied by hand with one sign left out": (
        "\n".join(l for l in CARD.splitlines() if "erection" not in l) + "\n",
        "urgency/emergency.md",
    ),
    "a paragraph that leads into a list": (
        "If you have any of these, call 999:\n\n- tingling when you wipe your bottom\n- sciatica in both legs\n",
        "urgency/emergency.md",
    ),
    "a list followed by what to do": (
        "- you cannot feel when you need the toilet\n- numbness around your genitals\n\n"
        "If you have any of these, go straight to hospital.\n",
        "urgency/emergency.md",
    ),
    "another admonition type": (
        '!!! warning "Get help"\n\n    Problems with your bowel or bladder are an emergency.\n',
        "urgency/emergency.md",
    ),
}


@pytest.mark.parametrize("variant", RETYPED)
def test_a_page_that_retypes_urgency_signs_fails(project, ctx, variant):
    text, include = RETYPED[variant]
    found = [f for f in findings(project, ctx, GOOD + "\n" + text) if f.rule == "urgency-list-retyped"]
    assert len(found) == 1, found
    assert f'--8<-- "{include}"' in found[0].hint
    # file:line points into the retyped block, not at the top of the page
    assert END <= found[0].line <= END + text.count("\n"), found[0]


def test_urgency_finding_names_file_line_and_column_on_the_cli(project):
    path = write(project, GOOD + "\nFor numbness around your genitals, call 999.\n")
    result = lint_cli([str(path)], cwd=project)
    assert result.returncode == 1
    line = next(l for l in result.stdout.splitlines() if "urgency-list-retyped" in l)
    assert re.search(rf":{END}:\d+: urgency-list-retyped .*'999'.*genitals", line), line
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("name", ["emergency", "urgent", "soon"])
def test_a_page_that_includes_the_cards_passes(project, ctx, name):
    text = GOOD + f'\n--8<-- "urgency/{name}.md"\n\n--8<-- "urgency/acute-pain.md"\n\n--8<-- "urgency/course-rule.md"\n'
    assert "urgency-list-retyped" not in rules(project, ctx, text)


WRAPPED = '\n<section data-search-exclude markdown>\n\n--8<-- "urgency/{}.md"\n\n</section>\n'
CARD_RULES = {"card-copy-in-search", "card-home-excluded", "card-shown-as-code", "urgency-list-retyped"}


@pytest.mark.parametrize("name", ["emergency", "urgent", "soon", "course-rule", "acute-pain"])
def test_a_card_away_from_its_home_is_wrapped_out_of_the_search_index(project, ctx, name):
    """Unwrapped it is flagged at the include's line; wrapped it passes, and
    the wrapper is not taken for a retyped list of signs."""
    bare = [
        f for f in findings(project, ctx, GOOD + f'\n--8<-- "urgency/{name}.md"\n') if f.rule == "card-copy-in-search"
    ]
    assert [f.line for f in bare] == [END]
    assert "<section data-search-exclude markdown>" in bare[0].hint and "CARD_HOMES" in bare[0].hint
    assert not rules(project, ctx, GOOD + WRAPPED.format(name)) & CARD_RULES


@pytest.mark.parametrize(
    "text",
    [
        # One wrapper, two cards
        '<section data-search-exclude markdown>\n\n--8<-- "urgency/urgent.md"\n\n--8<-- "urgency/soon.md"\n\n</section>',
        # Attributes in any order, a space before >, capitals
        '<section markdown="1" data-search-exclude>\n\n--8<-- "urgency/emergency.md"\n\n</section >',
        '<SECTION data-search-exclude markdown>\n\n--8<-- "urgency/emergency.md"\n\n</SECTION>',
        # A heading straight above a wrapper, and a wrapper around a wrapper
        '## Warning signs\n\n<section data-search-exclude markdown>\n<div markdown>\n\n--8<-- "urgency/urgent.md"\n\n'
        "</div>\n</section>",
    ],
)
def test_wrappers_that_keep_the_card_out_pass(project, ctx, text):
    assert not rules(project, ctx, GOOD + "\n" + text + "\n") & CARD_RULES


@pytest.mark.parametrize(
    "text",
    [
        # Material's search tells elements apart by tag only: the card's own
        # </div> ends a div wrapper's exclusion, and the card's note is indexed
        '<div data-search-exclude markdown>\n\n--8<-- "urgency/emergency.md"\n\n</div>',
        # No data-search-exclude, or one that is another attribute
        '<section markdown>\n\n--8<-- "urgency/urgent.md"\n\n</section>',
        '<section data-search-exclude-not markdown>\n\n--8<-- "urgency/urgent.md"\n\n</section>',
        # The wrapper closes before the include
        '<section data-search-exclude markdown>\n\nSee below.\n\n</section>\n\n--8<-- "urgency/urgent.md"',
        # Other ways of including the card: block form, "./", spaces in the quotes
        "--8<--\nurgency/urgent.md\n--8<--",
        '--8<-- "./urgency/urgent.md"',
        '--8<-- " urgency/urgent.md "',
    ],
)
def test_a_copy_that_reaches_the_search_index_is_flagged(project, ctx, text):
    assert "card-copy-in-search" in rules(project, ctx, GOOD + "\n" + text + "\n")


def test_a_card_indented_into_a_code_block_is_flagged(project, ctx):
    """Indented 4 spaces inside its wrapper, the card shows as raw text."""
    text = GOOD + '\n<section data-search-exclude markdown>\n\n    --8<-- "urgency/emergency.md"\n\n</section>\n'
    found = [f for f in findings(project, ctx, text) if f.rule == "card-shown-as-code"]
    assert [f.line for f in found] == [END + 2] and "indent" in found[0].hint


def test_the_home_page_keeps_its_card_in_the_search_index(project, ctx):
    """On safety/red-flags.md (the emergency card's home) the card is shown
    and indexed: wrapped or left out there, it is in no page of the index."""
    home = "safety/red-flags.md"
    others = '\n--8<-- "urgency/urgent.md"\n\n--8<-- "urgency/soon.md"\n'
    try:
        shown = GOOD + '\n--8<-- "urgency/emergency.md"\n' + others
        assert "card-home-excluded" not in rules(project, ctx, shown, home)
        found = [
            f
            for f in findings(project, ctx, GOOD + WRAPPED.format("emergency") + others, home)
            if f.rule == "card-home-excluded"
        ]
        assert [(f.line, "emergency.md" in f.message) for f in found] == [(END + 2, True)]
        assert "CARD_HOMES" in found[0].hint
        found = [f for f in findings(project, ctx, GOOD, home) if f.rule == "card-home-excluded"]
        assert len(found) == 3, "the three urgency cards' home: each one missing is named"
    finally:
        (project / "docs" / home).unlink(missing_ok=True)


def test_every_card_home_is_a_page_that_exists():
    from pagelint.siteconfig import CARD_HOMES

    for name, home in CARD_HOMES.items():
        assert (ROOT / "docs/includes" / name).is_file(), name
        assert (ROOT / "docs" / home).is_file(), f"{name}: its home {home} is not a page"


def test_a_card_after_its_glossary_terms_were_used_still_counts_as_the_card(project, ctx):
    """Glossary terms are marked at their first use only, so the urgent card
    renders differently when the page used "osteoporosis" before it."""
    text = (
        GOOD
        + '\nWeak bones (osteoporosis) and a high temperature (fever) are explained below.\n\n--8<-- "urgency/urgent.md"\n'
    )
    assert "urgency-list-retyped" not in rules(project, ctx, text)


def test_glossary_definitions_are_not_the_page_text_but_are_checked_on_their_own(project, ctx):
    """A term's first use carries its definition in a popover (hidden until
    opened): the lint's page text, its prose (reading grade, word count) and
    the claims rule's sentences leave it out; the claims rule reads it as a
    unit of its own."""
    from pagelint.dom import normalise, popovers, text_of
    from pagelint.page import read_page
    from pagelint.rules import claims, readability

    definition = next(
        line.split("]: ", 1)[1]
        for line in (project / "docs/includes/abbreviations.md").read_text().splitlines()
        if line.startswith("*[sciatica]: ")
    )
    page = read_page(write(project, GOOD + "\nSciatica often gets better within weeks.\n"), ctx.site)
    ctx.renderer.render(page)
    shown = [normalise(text_of(card)) for card in popovers(page.tree)]
    assert any(definition in normalise(card.xpath("string()")) for card in popovers(page.tree)), (
        "the page shows no popover with the definition: the check is vacuous"
    )
    assert shown and all(text == "" for text in shown)
    text = normalise(text_of(page.tree, " "))
    assert "sciatica" in text.lower() and definition not in text
    assert definition not in readability.prose_text(page, ctx)
    units = claims.units(page, ctx, set())
    assert not [u for u in units if u.origin == "page" and definition in normalise(u.text)]
    (own,) = [u for u in units if u.origin == "glossary" and definition in normalise(u.text)]
    assert "Close" not in own.text, own.text


def test_a_card_and_its_sources_pass_and_a_missing_one_is_named(project, ctx):
    """The soon card cites only the NHS sciatica page; the urgent card cites several."""
    with_soon = GOOD.replace(
        "sources: [nccih-cupping, furlan-2015]", "sources: [nccih-cupping, furlan-2015, nhs-sciatica]"
    )
    assert "include-source-not-cited" not in rules(project, ctx, with_soon + '\n--8<-- "urgency/soon.md"\n')
    found = [
        f
        for f in findings(project, ctx, with_soon + '\n--8<-- "urgency/urgent.md"\n')
        if f.rule == "include-source-not-cited"
    ]
    assert len(found) == 1 and found[0].line == END
    assert "nhs-back-pain" in found[0].message and "nhs-sciatica" not in found[0].message
    assert "sources:" in found[0].hint
    # An include shown as code is not shown as a card
    assert "include-source-not-cited" not in rules(project, ctx, GOOD + '\n```\n--8<-- "urgency/soon.md"\n```\n')


def test_the_card_typed_out_word_for_word_counts_as_the_card(project, ctx):
    assert "urgency-list-retyped" not in rules(project, ctx, GOOD + "\n" + CARD)


@pytest.mark.parametrize(
    "text",
    [
        "If you have any of the [warning signs](../safety/red-flags.md), call [999](tel:999) or go to A&E now.",
        "Numbness or tingling in one leg is common with sciatica.\n\nIn an emergency, call 999.",
        "Cauda equina syndrome is rare. See the [red flags](../safety/red-flags.md).",
        "If you get a fever or pain when you pee, contact your midwife urgently.",
        "Back pain with a high temperature needs a doctor the same day.",
        '> "numbness around the genitals is an emergency"\n> { .seed-quote data-seed="001_d8b13c31980e4831.txt" }',
        "```\nCall 999 for numbness around your genitals\n```",
        "<!-- Call 999 for numbness around your genitals -->",
    ],
)
def test_links_quotes_and_unrelated_words_pass(project, ctx, text):
    assert "urgency-list-retyped" not in rules(project, ctx, GOOD + "\n" + text + "\n")


def test_a_list_hidden_in_another_snippet_is_caught_in_the_rendered_page(project, ctx):
    (project / "docs/includes/my-signs.md").write_text("Call 999 if you cannot feel when your bowel is full.\n")
    try:
        found = [
            f for f in findings(project, ctx, GOOD + '\n--8<-- "my-signs.md"\n') if f.rule == "urgency-list-retyped"
        ]
    finally:
        (project / "docs/includes/my-signs.md").unlink()
    assert found and "urgency/emergency.md" in found[0].hint


def test_an_edited_card_no_longer_counts_as_the_card(project, ctx):
    """The canonical text is the rendered snippet: change the snippet and a
    hand-typed copy of the old text fails."""
    card = project / "docs/includes/urgency/emergency.md"
    before = card.read_text()
    fresh = Context.create(load_site_config(project / "mkdocs.yml"), TODAY)
    try:
        card.write_text(before.replace("sciatica in both legs", "sciatica down both legs"))
        found = rules(project, fresh, GOOD + "\n" + before)
    finally:
        card.write_text(before)
    assert "urgency-list-retyped" in found


def test_the_rule_is_listed():
    result = subprocess.run(LINT + ["--list-rules"], capture_output=True, text=True, cwd=ROOT)
    assert "urgency-list-retyped" in result.stdout


# The real site -------------------------------------------------------------------


def test_the_real_docs_pass():
    result = subprocess.run([sys.executable, "scripts/lint_pages.py", "docs"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout
    assert "urgency-list-retyped" not in result.stdout


def test_every_urgency_card_renders_as_its_admonition_type():
    """The cards the phone and tools helpers style and read: one admonition
    each, of type emergency/urgent/soon, with tap-to-call numbers."""
    ctx = Context.create(load_site_config(ROOT / "mkdocs.yml"), TODAY)
    texts = ctx.urgency_texts
    assert set(texts) == {
        "urgency/emergency.md",
        "urgency/urgent.md",
        "urgency/soon.md",
        "urgency/ladder.md",
        "urgency/lay-words.md",
    }
    for name, kind, phone in [
        ("emergency", "emergency", "tel:999"),
        ("urgent", "urgent", "tel:111"),
        ("soon", "soon", None),
    ]:
        source = (ROOT / f"docs/includes/urgency/{name}.md").read_text()
        assert source.startswith(f"!!! {kind} "), name
        if phone:
            assert f"]({phone})" in source.splitlines()[0], f"{name}: the number in the title is a tap-to-call link"


def test_built_site_check_passes_on_the_real_build_and_fails_without_the_review_block(built_site, tmp_path):
    run = lambda site: subprocess.run(LINT + ["--site", str(site)], capture_output=True, text=True, cwd=ROOT)
    assert run(built_site).returncode == 0
    broken = tmp_path / "site"
    shutil.copytree(built_site, broken)
    page = broken / "techniques/cupping/index.html"
    html, removed = re.subn(r'class="?page-review"?(?=[ >])', 'class="something-else"', page.read_text())
    assert removed == 1, "the built page has no review block to remove"
    page.write_text(html)
    result = run(broken)
    assert result.returncode == 1 and "site-review-block" in result.stdout and "cupping" in result.stdout


@pytest.mark.build
def test_strict_build_fails_on_a_page_without_its_disclaimer(tmp_path):
    """The MkDocs hook runs the same lint: a missing disclaimer fails --strict."""
    work = copy_project(tmp_path / "repo")
    page = work / "docs/techniques/cupping.md"
    page.write_text(page.read_text().replace(INCLUDE, ""))
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=work,
        env=BUILD_ENV,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "docs/techniques/cupping.md" in result.stderr and "disclaimer-missing" in result.stderr


@pytest.mark.build
def test_new_page_cannot_pass_until_written_then_meets_the_contract(tmp_path):
    """Independent of the pages in the working tree: a copy of the project, a title no page has."""
    work = copy_project(tmp_path / "repo")
    title = f"Hot stone massage {uuid.uuid4().hex[:8]}"
    slug = title.lower().replace(" ", "-")
    new_page = lambda: subprocess.run(
        [
            sys.executable,
            "scripts/new_page.py",
            "--section",
            "techniques",
            "--title",
            title,
        ],
        cwd=work,
        capture_output=True,
        text=True,
    )
    lint = lambda: subprocess.run(
        [sys.executable, "scripts/lint_pages.py", "docs"],
        cwd=work,
        capture_output=True,
        text=True,
    )
    made = new_page()
    assert made.returncode == 0, made.stderr
    assert f"      - {title}: techniques/{slug}.md" in (work / "mkdocs.yml").read_text()
    page = work / f"docs/techniques/{slug}.md"

    # The stub: its placeholders and empty sections are errors, each at its line
    stub = lint()
    assert stub.returncode == 1
    found = [
        l.split(": ", 1)[1].split(" ", 1)[0]
        for l in stub.stdout.splitlines()
        if l.startswith(f"docs/techniques/{slug}.md:")
    ]
    assert {"front-matter-placeholder", "placeholder-text", "section-empty"} <= set(found), stub.stdout
    assert found.count("section-empty") == 5, stub.stdout
    assert not {f for f in found if f not in {"front-matter-placeholder", "placeholder-text", "section-empty"}}, (
        stub.stdout
    )
    text = page.read_text()
    for name in (
        "What it is",
        "What a session is like",
        "How long it takes",
        "What the evidence says",
        "Who should avoid it",
    ):
        assert f"\n## {name}\n" in text, f"the technique skeleton lacks '## {name}'"

    # Written: the same page with words in place of the placeholders passes
    text = text.replace(
        "TODO: one sentence saying what this page covers.", "What hot stones are and who should avoid them."
    )
    text = text.replace(
        "TODO: two or three short sentences: what this page covers and who it is for.",
        "Hot stones are warmed and laid on the back.",
    )
    for name in (
        "What it is",
        "What a session is like",
        "How long it takes",
        "What the evidence says",
        "Who should avoid it",
    ):
        text = text.replace(f"## {name}\n", f"## {name}\n\nA plain sentence about this.\n")
    page.write_text(text)
    written = lint()
    assert written.returncode == 0, written.stdout

    again = new_page()
    assert again.returncode == 2 and "already exists" in again.stderr


# Sources by registry id (issue #16) ----------------------------------------------


def test_cli_names_file_and_line_of_an_unknown_id_and_of_the_old_form(project):
    unknown = write(project, GOOD.replace("furlan-2015]", "furlan-2051]"), "techniques/unknown.md")
    result = lint_cli([str(unknown)], cwd=project)
    assert result.returncode == 1
    assert f"{unknown.relative_to(project)}:7:26: source-unknown source id 'furlan-2051'" in result.stdout
    assert "did you mean furlan-2015?" in result.stdout

    old = write(
        project,
        GOOD.replace(
            "sources: [nccih-cupping, furlan-2015]",
            'sources:\n  - title: "NCCIH. Cupping"\n    url: https://www.nccih.nih.gov/health/cupping',
        ),
        "techniques/old.md",
    )
    result = lint_cli([str(old)], cwd=project)
    assert result.returncode == 1
    assert f"{old.relative_to(project)}:8:1: source-format" in result.stdout
    assert "write its id instead: nccih-cupping" in result.stdout


def test_links_from_an_include_are_the_includes_but_the_page_lists_their_sources(project, ctx):
    """An include's links are not links typed in the page (no source-not-cited), but a page that
    shows them lists their sources' ids (include-source-not-cited, on the --8<-- line)."""
    include = project / "docs/includes/test-link.md"
    include.write_text("Read [NHS: sciatica](https://www.nhs.uk/conditions/sciatica/).\n")
    try:
        assert rules(project, ctx, GOOD + '\n--8<-- "test-link.md"\n') == {"include-source-not-cited"}
        citing = GOOD.replace(
            "sources: [nccih-cupping, furlan-2015]", "sources: [nccih-cupping, furlan-2015, nhs-sciatica]"
        )
        assert rules(project, ctx, citing + '\n--8<-- "test-link.md"\n') == set()
    finally:
        include.unlink()


def _registry_project(tmp_path: Path, change) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "docs/includes", root / "docs/includes")
    (root / "docs/techniques").mkdir()
    registry = root / "docs/includes/references.yml"
    registry.write_text(change(registry.read_text(encoding="utf-8")), encoding="utf-8")
    write(root, GOOD, "techniques/good.md")
    return root


@pytest.mark.parametrize(
    "change,expected",
    [
        (lambda t: t.replace("    free_to_read: true\n", "", 1), "nice-ng59 lacks 'free_to_read'"),
        (lambda t: t.replace("  - id: nhs-sciatica\n", "  - id: nice-ng59\n", 1), "id 'nice-ng59' is used twice"),
        (lambda t: t.replace("    free_to_read: true\n", "    free_to_read: maybe\n", 1), "free_to_read is 'maybe'"),
        (
            lambda t: t.replace("https://www.nhs.uk/conditions/sciatica/", "http://www.nhs.uk/conditions/sciatica/", 1),
            "is not an https:// URL",
        ),
    ],
)
def test_registry_faults_are_errors_with_their_line(tmp_path, change, expected):
    root = _registry_project(tmp_path, change)
    result = lint_cli(["docs"], cwd=root)
    assert result.returncode == 1, result.stdout
    line = next(l for l in result.stdout.splitlines() if expected in l)
    path, number = line.split(":")[:2]
    assert path == "docs/includes/references.yml" and "registry-invalid" in line
    assert (root / path).read_text().splitlines()[int(number) - 1].strip().startswith("- id:")


def test_a_registry_that_is_not_valid_yaml_names_file_and_line(tmp_path):
    # An entry pasted in at the old indentation, as a merge of an old branch would leave it
    root = _registry_project(tmp_path, lambda t: t + "\n- id: pasted-2026\n  title: Pasted\n")
    result = lint_cli(["docs"], cwd=root)
    assert result.returncode == 2
    assert result.stderr.startswith("lint_pages: docs/includes/references.yml:") and "indentation" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "fault,expected",
    [
        (
            lambda t: t.replace("sources: [nccih-cupping, ", "sources: [nccih-cuping, "),
            "docs/techniques/cupping.md:7:11: source-unknown",
        ),
        (lambda t: t + "\nA study ([Smith 2020](https://doi.org/10.1234/unregistered)).\n", "source-unregistered"),
        (
            lambda t: t + "\nA trial ([Cherkin 2011](https://doi.org/10.1059/0003-4819-155-1-201107050-00002)).\n",
            "source-not-cited",
        ),
    ],
)
@pytest.mark.build
def test_strict_build_fails_on_a_source_fault_with_file_and_line(tmp_path, fault, expected):
    """make site runs the same source rules through the hook."""
    work = copy_project(tmp_path / "repo")
    page = work / "docs/techniques/cupping.md"
    page.write_text(fault(page.read_text()))
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=work,
        env=BUILD_ENV,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert expected in result.stderr and re.search(r"docs/techniques/cupping\.md:\d+:\d+: source-", result.stderr)
