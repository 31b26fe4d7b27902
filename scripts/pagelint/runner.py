"""Run the rules over pages, in parallel when there are many."""

from __future__ import annotations

import datetime as dt
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import reviews
from .context import Context
from .findings import Finding
from .page import PageError, read_page
from .rules import RULES
from .siteconfig import SiteConfig, find_config, load_site_config

PARALLEL_FROM = 24  # below this, starting worker processes costs more than it saves


class UsageError(Exception):
    """A path or option the lint cannot work with (exit 2)."""


@dataclass
class PageResult:
    display: str
    findings: list[Finding]
    grade: float | None = None
    words: int = 0
    allowed: int = 0


@dataclass
class Report:
    pages: list[PageResult] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return sorted(f for page in self.pages for f in page.findings)

    @property
    def errors(self) -> int:
        return sum(f.is_error for f in self.findings)


def lint_page(
    path: Path, ctx: Context, display: str | None = None, html: str | None = None, text: str | None = None, rules=RULES
) -> PageResult:
    """Lint one page. Pass html (and text) to reuse what MkDocs already rendered."""
    display = display or str(path)
    try:
        page = read_page(path, ctx.site, display, text)
        if html is None:
            ctx.renderer.render(page)
        else:
            page.html = html
        findings = list(page.findings)
        for rule in rules:
            findings.extend(rule(page, ctx))
    except PageError as exc:
        return PageResult(display, [exc.finding])
    except (RecursionError, MemoryError) as exc:
        return PageResult(
            display,
            [
                Finding(
                    display,
                    1,
                    1,
                    "nesting-too-deep",
                    f"the page is too deeply nested or too large to check ({type(exc).__name__})",
                    "flatten nested lists, quotes or HTML",
                )
            ],
        )
    except Exception as exc:  # a bug in a rule must not hide the other pages' findings
        return PageResult(
            display,
            [
                Finding(
                    display,
                    1,
                    1,
                    "lint-crash",
                    f"the lint failed on this page: {type(exc).__name__}: {exc}",
                    "report it with the page attached; meanwhile check the page by hand",
                )
            ],
        )
    return PageResult(display, sorted(set(findings)), page.grade, page.words, page.allowed)


def collect(paths: list[Path], site: SiteConfig) -> list[Path]:
    """Markdown pages under the given files and folders; snippet folders are not pages."""
    snippet_dirs = [d.resolve() for d in site.snippet_dirs]
    pages: list[Path] = []
    for path in paths:
        if path.is_dir():
            pages += [
                p for p in sorted(path.rglob("*.md")) if not any(p.resolve().is_relative_to(d) for d in snippet_dirs)
            ]
        elif path.is_file():
            pages.append(path)
        else:
            raise UsageError(f"no such file or folder: {path}")
    return pages


# One context per worker process, built once
_worker_ctx: Context | None = None


def _init_worker(config_file: str, today: dt.date) -> None:
    global _worker_ctx
    _worker_ctx = Context.create(load_site_config(Path(config_file)), today)


def _lint_in_worker(path: Path) -> PageResult:
    return lint_page(path, _worker_ctx, _display(path))


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def run(
    paths: list[Path], config_file: Path | None = None, today: dt.date | None = None, jobs: int | None = None
) -> Report:
    config_file = config_file or find_config(paths[0] if paths else Path.cwd())
    site = load_site_config(config_file)
    today = today or dt.date.today()
    files = collect(paths or [site.docs_dir], site)
    jobs = jobs or os.cpu_count() or 1
    if jobs > 1 and len(files) >= PARALLEL_FROM:
        chunk = max(1, len(files) // (jobs * 4))
        with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(str(config_file), today)) as pool:
            report = Report(list(pool.map(_lint_in_worker, files, chunksize=chunk)))
    else:
        ctx = Context.create(site, today)
        report = Report([lint_page(f, ctx, _display(f)) for f in files])
    # The clinical review records the pages' review blocks show
    records = site.docs_dir / "includes/reviews.yml"
    if records.is_file():
        _, problems = reviews.check(records, _display(records), site.docs_dir, today)
        if problems:
            report.pages.insert(0, PageResult(_display(records), problems))
    # The registry every page cites from: its own faults, once, with their lines
    registry = site.registry
    if registry.path is not None:
        problems = registry.check(_display(registry.path))
        if problems:
            report.pages.insert(0, PageResult(_display(registry.path), problems))
    return report


def lint_files(
    paths: list[Path], jobs: int | None = None, config_file: Path | None = None, today: dt.date | None = None
) -> list[Finding]:
    return run([Path(p) for p in paths], config_file, today, jobs).findings
