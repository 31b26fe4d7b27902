"""Command line: python scripts/lint_pages.py [PATH ...] [options]

Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage or
environment problem (no such path, unreadable mkdocs.yml).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from . import report
from .context import Context
from .fix import FixRefused, fix_file
from .page import PageError
from .rules import RULE_IDS
from .runner import UsageError, collect, run
from .site_check import check_site
from .siteconfig import ConfigError, find_config, load_site_config


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {value!r}") from exc


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="lint_pages.py",
        description="Check pages against the page contract: disclaimer, front matter, review dates, "
        "sources, absolute claims, unsafe markup, section rules, readability.",
        epilog="Exit status: 0 clean (warnings allowed), 1 errors found, 2 usage or environment problem.",
    )
    p.add_argument("paths", nargs="*", type=Path, help="Markdown files or folders (default: the docs folder)")
    p.add_argument("--config", type=Path, help="mkdocs.yml to read extensions from (default: nearest one)")
    p.add_argument("--format", choices=("text", "json", "github"), default="text", help="output format")
    p.add_argument("--summary", action="store_true", help="also print each page's reading grade and word count")
    p.add_argument("--site", type=Path, metavar="DIR", help="check the built site in DIR instead of the sources")
    p.add_argument(
        "--fix", action="store_true", help="add what is missing (front matter skeleton, disclaimer); never deletes"
    )
    p.add_argument("--jobs", type=int, help="worker processes (default: one per core)")
    p.add_argument("--today", type=_date, help=argparse.SUPPRESS)  # for tests: pin "today"
    p.add_argument("--list-rules", action="store_true", help="list the rule ids and exit")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.list_rules:
        print("\n".join(f"{rule:26} {what}" for rule, what in sorted(RULE_IDS.items())))
        return 0
    try:
        config_file = args.config or find_config(args.paths[0] if args.paths else Path.cwd())
        if args.site:
            if not args.site.is_dir():
                raise UsageError(f"no such site folder: {args.site}")
            ctx = Context.create(load_site_config(config_file), args.today)
            findings = check_site(args.site, ctx)
            _print(findings, args.format)
            return 1 if findings else 0
        if args.fix:
            _fix(args, config_file)
        result = run(args.paths, config_file, args.today, args.jobs)
    except (UsageError, ConfigError) as exc:
        print(f"lint_pages: {exc}", file=sys.stderr)
        return 2
    except PageError as exc:  # the disclaimer snippet itself is missing
        _print([exc.finding], args.format)
        return 1

    _print(result.findings, args.format)
    if args.summary:
        print(report.summary_table(result.pages))
    if args.format == "text":
        warnings = len(result.findings) - result.errors
        print(
            f"{plural(len(result.pages), 'page')}: {plural(result.errors, 'error')}, {plural(warnings, 'warning')}",
            file=sys.stderr,
        )
    return 1 if result.errors else 0


def plural(count: int, noun: str) -> str:
    """'1 page', '2 pages', '0 errors'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _fix(args, config_file: Path) -> None:
    site = load_site_config(config_file)
    ctx = Context.create(site, args.today)
    for path in collect(args.paths or [site.docs_dir], site):
        try:
            changes = fix_file(path, ctx)
        except FixRefused as exc:
            print(f"{path}: not fixed: {exc}", file=sys.stderr)
            continue
        for change in changes:
            print(f"{path}: added {change}", file=sys.stderr)


def _print(findings, fmt: str) -> None:
    out = report.render(findings, fmt)
    if out:
        print(out)
