#!/usr/bin/env python3
"""Create a page that already meets the page contract, and add it to the nav.

Usage: python scripts/new_page.py --section techniques --title "Hot stone massage"
(or `make new-page SECTION=techniques TITLE="Hot stone massage"`)
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import about_pages
from pagelint import skeleton
from pagelint.siteconfig import SECTIONS_NEEDING_SOURCES

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ("causes", "techniques", "safety", "course-planning", "about")
# The site's anchor guideline (an id in docs/includes/references.yml): a starting point the writer replaces or adds to
STARTER_SOURCE = "nice-ng59"


def slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


# The sections CONTRIBUTING's page contract names for a technique page, in reading order
TECHNIQUE_SECTIONS = (
    "What it is",
    "What a session is like",
    "How long it takes",
    "What the evidence says",
    "Who should avoid it",
)


def page_text(section: str, title: str, today: dt.date) -> str:
    """A skeleton that meets the page contract's form but cannot pass the lint until
    written: its TODOs (placeholder-text, front-matter-placeholder) and empty
    sections (section-empty) are errors."""
    sources = [STARTER_SOURCE] if section in SECTIONS_NEEDING_SOURCES else []
    parts = [
        skeleton.front_matter(title, today, reviewer="Editorial team", sources=sources),
        f"\n# {title}\n\n{skeleton.DISCLAIMER_INCLUDE}\n\n",
        "TODO: two or three short sentences: what this page covers and who it is for.\n\n",
        skeleton.red_flags_link(section),
    ]
    if section == "techniques":
        parts.append("".join(f"\n## {name}\n" for name in TECHNIQUE_SECTIONS))
    return "".join(parts)


def add_to_nav(config_text: str, section: str, title: str, src: str) -> str:
    """Insert '- Title: section/slug.md' as the last entry of the section's nav list."""
    lines = config_text.split("\n")
    index_line = next((i for i, line in enumerate(lines) if line.strip() == f"- {section}/index.md"), None)
    if index_line is None:
        raise SystemExit(f"new_page: mkdocs.yml has no '- {section}/index.md' entry in its nav")
    indent = lines[index_line][: len(lines[index_line]) - len(lines[index_line].lstrip())]
    last = index_line
    while last + 1 < len(lines) and lines[last + 1].startswith(indent + "- "):
        last += 1
    label = f'"{title}"' if re.search(r"[:#'\"]", title) else title
    lines.insert(last + 1, f"{indent}- {label}: {src}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--section", required=True, choices=SECTIONS)
    parser.add_argument("--title", required=True)
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    title = args.title.strip()
    slug = slugify(title)
    if not slug:
        parser.error("the title needs at least one letter or digit")
    src = f"{args.section}/{slug}.md"
    path = args.root / "docs" / src
    if path.exists():
        print(f"new_page: {path.relative_to(args.root)} already exists; edit it instead", file=sys.stderr)
        return 2

    config = args.root / "mkdocs.yml"
    new_config = add_to_nav(config.read_text(encoding="utf-8"), args.section, title, src)
    path.write_text(page_text(args.section, title, dt.date.today()), encoding="utf-8")
    config.write_text(new_config, encoding="utf-8")
    print(f"created docs/{src} and added it to the nav in mkdocs.yml")
    about_pages.main(["--docs", str(args.root / "docs")])  # its sources appear under "Cited by"
    print(
        "next: write the page (`make lint` lists the TODOs and empty sections left), "
        "cite what you checked by id (docs/includes/references.yml), preview with `make serve`"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
