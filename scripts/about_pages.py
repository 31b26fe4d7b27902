"""Generate the reference list and the glossary on the About pages.

Two parts of docs/about/ are written by this script, never by hand:

* about/sources.md, between <!-- references:start --> and <!-- references:end -->:
  one entry per reference in docs/includes/references.yml (what it is, what it
  found, how strong it is) with a "Cited by" list of the pages whose front
  matter `sources: [id, ...]` cite it.
* about/glossary.md, between <!-- glossary:start --> and <!-- glossary:end -->:
  a sorted table of every term in docs/includes/abbreviations.md, the one place
  where glossary terms are defined (`*[term]: definition`).

Usage:
  python scripts/about_pages.py           rewrite both generated parts
  python scripts/about_pages.py --check   exit 1 if either part is out of date,
                                          or if a page cites an id that the
                                          registry lacks
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

import frontmatter
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pagelint.references import citation, link_of, source_key  # noqa: F401  (source_key: for callers)

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = "includes/references.yml"  # mkdocs.yml inherits it (INHERIT: docs/includes/references.yml)
ABBREVIATIONS = "includes/abbreviations.md"
SOURCES_PAGE = "about/sources.md"
GLOSSARY_PAGE = "about/glossary.md"
FREE_TO_READ = {True: "yes", False: "no: you may need to pay or ask a library", "unknown": "not checked"}
ABBR_LINE = re.compile(r"^\*\[(?P<term>[^\]]+)\]:\s*(?P<definition>.+?)\s*$")


def load_registry(docs: Path) -> list[dict]:
    data = yaml.safe_load((docs / REGISTRY).read_text(encoding="utf-8")) or {}
    return list((data.get("extra") or {}).get("references") or [])


def page_sources(docs: Path):
    """(page path relative to docs/, page title, source id) for every cited source."""
    for path in sorted(docs.rglob("*.md")):
        rel = path.relative_to(docs).as_posix()
        if rel.startswith("includes/"):
            continue
        page = frontmatter.load(path)
        for source in page.get("sources") or []:
            yield rel, page.get("title") or rel, source


def cited_by(docs: Path, registry: list[dict]) -> tuple[dict[str, list], list[str]]:
    """Map each registry id to the pages citing it; list of unknown citations."""
    citing: dict[str, list] = {entry["id"]: [] for entry in registry}
    unknown = []
    for rel, title, ref_id in page_sources(docs):
        if not isinstance(ref_id, str) or ref_id not in citing:
            unknown.append(
                f"docs/{rel} cites {ref_id!r}, which is not an id in docs/{REGISTRY} (`make lint` says where)"
            )
        elif (rel, title) not in citing[ref_id]:
            citing[ref_id].append((rel, title))
    return citing, unknown


def link_from(page: str, target: str) -> str:
    """Relative .md link from one docs page to another."""
    return os.path.relpath(target, start=os.path.dirname(page) or ".").replace(os.sep, "/")


def render_references(registry: list[dict], citing: dict[str, list]) -> str:
    blocks = []
    for entry in registry:
        link = link_of(entry)
        pages = citing[entry["id"]]
        cited = ", ".join(f"[{title}]({link_from(SOURCES_PAGE, rel)})" for rel, title in pages)
        blocks.append(
            "\n".join(
                [
                    f"### {citation(entry)} {{ #{entry['id']} }}",
                    "",
                    f"- **What it is:** {entry['kind']}",
                    f"- **Link:** <{link}>",
                    f"- **What it found:** {entry['summary'].strip()}",
                    f"- **How strong it is:** {entry['strength'].strip()}",
                    f"- **Free to read:** {FREE_TO_READ.get(entry.get('free_to_read'), 'not checked')}",
                    "",
                    # Out of the search index: a list of page titles would make every
                    # search for a page's name find this page too
                    f"**Cited by:** {cited or 'no page at present'}",
                    "{ data-search-exclude }",
                ]
            )
        )
    return "\n\n".join(blocks)


def render_glossary(docs: Path) -> str:
    terms: dict[str, tuple[str, str]] = {}
    for line in (docs / ABBREVIATIONS).read_text(encoding="utf-8").splitlines():
        match = ABBR_LINE.match(line)
        if match:
            # Several spellings of one term (sciatica, Sciatica): list it once
            terms.setdefault(match["term"].casefold(), (match["term"], match["definition"]))
    rows = [f"| {term} | {definition} |" for _, (term, definition) in sorted(terms.items())]
    # In a no-glossary-terms block: every word in this table is a term, and
    # marking each would repeat its definition in a popover beside it
    return "\n".join(
        [
            '<div class="no-glossary-terms" markdown>',
            "",
            "| Term | What it means |",
            "| --- | --- |",
            *rows,
            "",
            "</div>",
        ]
    )


def replace_between(text: str, name: str, body: str) -> str:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    if start not in text or end not in text:
        raise SystemExit(f"about_pages: the markers {start} / {end} are missing")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n\n{body}\n\n{end}{tail}"


def generated_pages(docs: Path) -> tuple[dict[str, str], list[str]]:
    """{page: its text with fresh generated parts}, and the unknown citations."""
    registry = load_registry(docs)
    citing, unknown = cited_by(docs, registry)
    pages = {
        SOURCES_PAGE: ("references", render_references(registry, citing)),
        GLOSSARY_PAGE: ("glossary", render_glossary(docs)),
    }
    fresh = {}
    for page, (name, body) in pages.items():
        fresh[page] = replace_between((docs / page).read_text(encoding="utf-8"), name, body)
    return fresh, unknown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="change nothing; exit 1 if a generated part is stale or a source is unknown",
    )
    parser.add_argument("--docs", type=Path, default=ROOT / "docs", help="docs folder (default: docs/)")
    args = parser.parse_args(argv)

    fresh, problems = generated_pages(args.docs)
    for page, text in fresh.items():
        path = args.docs / page
        if path.read_text(encoding="utf-8") == text:
            continue
        if args.check:
            problems.append(f"docs/{page} is out of date: run `python scripts/about_pages.py`")
        else:
            path.write_text(text, encoding="utf-8")
            print(f"about_pages: rewrote docs/{page}")
    for problem in problems:
        print(f"about_pages: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
