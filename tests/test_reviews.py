"""Clinical review records (docs/includes/reviews.yml, issue #25): the lint
refuses a record a reader could not check or that says more than the reviewer
did, naming the file, the line and the fix. The page side (the review block)
is tested with a fixture reviewer in tests/test_site_build.py."""

from __future__ import annotations

import datetime as dt
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from pagelint import reviews

TODAY = dt.date(2026, 12, 7)
GOOD = """\
extra:
  reviews:
    - page: safety/red-flags.md
      reviewer:
        name: Test Reviewer
        profession: Physiotherapist
        register: HCPC
        number: PH000000
      date: 2026-11-30
      commit: 0123abcd
      scope: whole page
      outcome: signed off
      next_review: 2027-11-30
      findings:
        - text: The cancer line should say straight away.
          status: fixed
"""
# case -> (text to replace, replacement, words the message must hold)
BROKEN = {
    "no registration number": ("        number: PH000000\n", "", "has no number"),
    "empty register": ("register: HCPC", "register: ''", "has no register"),
    "register not accepted": ("register: HCPC", "register: Massage Council", "not one this site accepts"),
    "date in the future": ("date: 2026-11-30", "date: 2027-01-01", "in the future"),
    "next review before the review": (
        "next_review: 2027-11-30",
        "next_review: 2026-11-01",
        "not after the review date",
    ),
    "signed off with a finding open": ("status: fixed", "status: open", "signed off while this finding is still open"),
    "declined without a reason": ("status: fixed", "status: declined", "declined finding has no reason"),
    "unknown status": ("status: fixed", "status: done", "status is 'done'"),
    "page that is not a page": ("page: safety/red-flags.md", "page: safety/red-flag.md", "not a page under docs/"),
    "commit that is not a commit": ("commit: 0123abcd", "commit: last week", "not a commit id"),
    "outcome not known": ("outcome: signed off", "outcome: fine", "outcome 'fine' is not known"),
    "missing key": ("      scope: whole page\n", "", "has no 'scope'"),
    "unknown key": ("      scope: whole page\n", "      scope: whole page\n      mood: happy\n", "unknown key 'mood'"),
    "date not a date": ("date: 2026-11-30", "date: last Tuesday", "not a date"),
    "yaml syntax": ("      scope: whole page\n", "      scope: [whole page\n", "not valid YAML"),
}


def run(tmp_path, text: str):
    path = tmp_path / "reviews.yml"
    path.write_text(text, encoding="utf-8")
    return reviews.check(path, "docs/includes/reviews.yml", ROOT / "docs", TODAY)


def test_a_complete_record_is_accepted(tmp_path):
    records, found = run(tmp_path, GOOD)
    assert found == []
    assert [(r.page, r.name, r.register, r.number, r.outcome) for r in records] == [
        ("safety/red-flags.md", "Test Reviewer", "HCPC", "PH000000", "signed off")
    ]


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_a_bad_record_is_refused_with_its_line_and_fix(tmp_path, case):
    old, new, words = BROKEN[case]
    assert old in GOOD, case
    text = GOOD.replace(old, new, 1)
    records, found = run(tmp_path, text)
    assert records == [], "a record with a problem is not shown"
    assert any(words in f.message for f in found), [f.message for f in found]
    for finding in found:
        assert finding.rule == reviews.RULE and finding.hint
        assert 1 <= finding.line <= len(text.splitlines())


def test_the_published_site_has_no_record_until_a_clinician_signs():
    """Never a record a real, registered clinician has not made: the file
    ships empty, and it is valid."""
    records, found = reviews.check(ROOT / "docs/includes/reviews.yml", "reviews.yml", ROOT / "docs", TODAY)
    assert records == [] and found == []
