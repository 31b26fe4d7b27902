"""The pieces of a page that the contract requires, as text to add.
Shared by --fix (adds what is missing) and scripts/new_page.py."""

from __future__ import annotations

import datetime as dt

import yaml

from .rules.front_matter import add_years
from .siteconfig import DISCLAIMER_INCLUDE, SECTIONS_NEEDING_RED_FLAGS_LINK

__all__ = ["DISCLAIMER_INCLUDE", "front_matter", "red_flags_link"]


def front_matter(
    title: str, today: dt.date, description: str | None = None, reviewer: str | None = None, sources: list | None = None
) -> str:
    """A front-matter block; TODO placeholders where a person must decide (the lint flags them)."""
    data = {
        "title": title,
        "description": description or "TODO: one sentence saying what this page covers.",
        "reviewed": today,
        "next_review": add_years(today, 1),
        "reviewer": reviewer or "TODO: who checked this page against its sources",
        "sources": sources or [],  # registry ids: the theme renders the Sources list
        "seeds": [],
    }
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=None)
    return f"---\n{body}---\n"


def red_flags_link(section: str) -> str:
    target = "safety/red-flags.md" if section == "" else "../safety/red-flags.md"
    if section not in SECTIONS_NEEDING_RED_FLAGS_LINK:
        return ""
    return f"If you have any of the [red flags]({target}), get medical help now.\n"
