"""Clinical review records (docs/includes/reviews.yml, issue #25): who reviewed
which page, when, against which commit, and what they found.

A record is what a page's review block shows ("Clinically reviewed by NAME,
PROFESSION (REGISTER NUMBER) on DATE"), so the lint refuses one that a reader
could not check or that says more than the reviewer did: no registration, a
date in the future, a next review before the review, or "signed off" while a
finding is still open. Each problem names the file, the line and the fix
(rule review-record-invalid). With no record, a page says that no clinician
has reviewed it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .findings import Finding

RULE = "review-record-invalid"
# The UK registers a reviewer of this site's pages can be on
REGISTERS = ("HCPC", "GMC", "NMC", "GPhC", "GCC", "GOsC")
OUTCOMES = ("signed off", "changes needed")
STATUSES = ("open", "fixed", "declined")
RECORD_KEYS = ("page", "reviewer", "date", "commit", "scope", "outcome", "next_review", "findings")
REVIEWER_KEYS = ("name", "profession", "register", "number")
COMMIT = re.compile(r"^[0-9a-f]{7,40}$")


@dataclass
class Review:
    page: str
    name: str
    profession: str
    register: str
    number: str
    date: dt.date
    next_review: dt.date
    outcome: str


def _line(node) -> int:
    return node.start_mark.line + 1


def _mapping(node) -> dict:
    return {key.value: value for key, value in node.value} if isinstance(node, yaml.MappingNode) else {}


def _records_node(root):
    """The node of extra.reviews, or None."""
    extra = _mapping(root).get("extra")
    return _mapping(extra).get("reviews") if extra is not None else None


def check(path: Path, display: str, docs_dir: Path, today: dt.date) -> tuple[list[Review], list[Finding]]:
    """The file's records, and a finding for each problem in it."""
    found: list[Finding] = []

    def bad(line: int, message: str, hint: str) -> None:
        found.append(Finding(display, line, 1, RULE, message, hint))

    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except OSError as exc:
        bad(1, f"cannot read the file ({exc.strerror})", "restore it from git")
        return [], found
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        bad(mark.line + 1 if mark else 1, f"not valid YAML ({getattr(exc, 'problem', exc)})", "fix the syntax there")
        return [], found
    node = _records_node(root) if root is not None else None
    if not isinstance(node, yaml.SequenceNode):
        bad(1, "extra.reviews must be a list of records", "keep `extra:` / `reviews: []` and add `- page: ...` items")
        return [], found
    reviews = []
    for item in node.value:
        before = len(found)
        review = _record(item, docs_dir, today, bad)
        if review is not None and len(found) == before:
            reviews.append(review)
    return reviews, found


def _record(item, docs_dir: Path, today: dt.date, bad) -> Review | None:
    """The record as a Review, calling bad() for each problem (the caller drops
    a record with problems)."""
    line = _line(item)
    values = _mapping(item)
    if not values:
        bad(line, "a record must be a mapping of keys to values", "see the example in the file's header")
        return None
    for key in values:
        if key not in RECORD_KEYS:
            bad(_line(values[key]), f"unknown key '{key}'", f"use only {', '.join(RECORD_KEYS)}")
    for key in RECORD_KEYS:
        if key not in values:
            bad(line, f"the record has no '{key}'", f"add '{key}:' (see the file's header)")
    if any(key not in values for key in RECORD_KEYS):
        return None
    page = str(values["page"].value)
    if not (docs_dir / page).is_file():
        bad(
            _line(values["page"]),
            f"page '{page}' is not a page under docs/",
            "give the path under docs/, e.g. safety/red-flags.md",
        )
    who = _mapping(values["reviewer"])
    for key in REVIEWER_KEYS:
        if not str(getattr(who.get(key), "value", "") or "").strip():
            bad(
                _line(values["reviewer"]),
                f"the reviewer has no {key}",
                "a record names the clinician and their registration (register and number), as the register shows them",
            )
    register = str(getattr(who.get("register"), "value", ""))
    if register and register not in REGISTERS:
        bad(
            _line(who["register"]),
            f"register '{register}' is not one this site accepts",
            f"use one of {', '.join(REGISTERS)}",
        )
    date = _date(values["date"], "date", bad)
    next_review = _date(values["next_review"], "next_review", bad)
    if date and date > today:
        bad(
            _line(values["date"]),
            f"the review date {date} is in the future",
            "record a review on or after the day it happened",
        )
    if date and next_review and next_review <= date:
        bad(
            _line(values["next_review"]),
            "next_review is not after the review date",
            "give the date the page is next due",
        )
    if not COMMIT.match(str(values["commit"].value)):
        bad(
            _line(values["commit"]),
            "commit is not a commit id",
            "give the commit the reviewer read (7 to 40 hex digits)",
        )
    outcome = str(values["outcome"].value)
    if outcome not in OUTCOMES:
        bad(_line(values["outcome"]), f"outcome '{outcome}' is not known", f"use one of: {', '.join(OUTCOMES)}")
    findings = values["findings"]
    items = findings.value if isinstance(findings, yaml.SequenceNode) else []
    if not isinstance(findings, yaml.SequenceNode) and str(findings.value).strip():
        bad(_line(findings), "findings must be a list", "write [] or '- text: ...' items")
    for finding in items:
        entry = _mapping(finding)
        status = str(getattr(entry.get("status"), "value", ""))
        if not str(getattr(entry.get("text"), "value", "")).strip():
            bad(_line(finding), "a finding has no text", "write what the reviewer found")
        if status not in STATUSES:
            bad(_line(finding), f"a finding's status is '{status}'", f"use one of: {', '.join(STATUSES)}")
        if status == "declined" and not str(getattr(entry.get("reason"), "value", "")).strip():
            bad(_line(finding), "a declined finding has no reason", "add 'reason:' saying why the editors declined it")
        if status == "open" and outcome == "signed off":
            bad(
                _line(finding),
                "the record is signed off while this finding is still open",
                "fix or decline the finding (with a reason) first, or record the outcome as 'changes needed'",
            )
    if date is None or next_review is None or any(key not in who for key in REVIEWER_KEYS):
        return None
    return Review(
        page,
        str(who["name"].value),
        str(who["profession"].value),
        register,
        str(who["number"].value),
        date,
        next_review,
        outcome,
    )


def _date(node, what: str, bad) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(node.value))
    except ValueError:
        bad(_line(node), f"{what} '{node.value}' is not a date", "write it as YYYY-MM-DD")
        return None
