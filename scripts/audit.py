#!/usr/bin/env python3
"""Measure the built site as a reader's browser meets it (issue #14 item 8).

`make audit` runs this on site/ (built by `make site`):

- Lighthouse 12.2.3 (npm, pinned) with Debian Chromium on five pages (home,
  red flags, cupping, tracking progress, claims ledger), mobile and desktop,
  served gzip-compressed from 127.0.0.1 as a static host serves them;
- pa11y with HTML_CodeSniffer (WCAG 2 AA), the second engine beside axe-core,
  on every page, after the project's filters (FILTERS below, each with why).

It prints a table and writes every figure to build/audit.json. Exit code 0
when every target is met, 1 when one is missed, 2 when it could not run
(no site/, no Chromium, no node_modules).

    python scripts/audit.py [--site DIR] [--json FILE] [--runs N] [--no-lighthouse] [--no-pa11y]
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import check_links  # noqa: E402  (its server: the site under site_url's path, 404.html)

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
NODE_MODULES = ROOT / "node_modules"
LIGHTHOUSE = NODE_MODULES / "lighthouse/cli/index.js"
PA11Y_SCRIPT = ROOT / "scripts/pa11y_pages.js"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)

# The pages Lighthouse measures: name -> path under the site's root
PAGES = {
    "home": "",
    "red flags": "safety/red-flags/",
    "cupping": "techniques/cupping/",
    "tracking": "course-planning/tracking-progress/",
    "claims ledger": "about/claims-ledger/",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# Lowest acceptable score (0-100) per form factor and category
TARGETS = {
    "mobile": {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100},
    "desktop": {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100},
}

# pa11y (HTML_CodeSniffer) findings that are provably not faults, as
# (code, markup the finding is on, reason). Matched on the element's markup,
# never on the page, so the same finding anywhere else still counts.
FILTERS = [
    (
        "WCAG2AA.Principle3.Guideline3_2.3_2_2.H32.2",
        re.compile(r'^<form class="md-header__option" data-md-component="palette"'),
        # "This form does not contain a submit button". H32 is the technique
        # for forms that change context when submitted (WCAG 3.2.2 On Input).
        # The palette form is never submitted: its radio buttons switch the
        # colours in place, which WCAG does not count as a change of context.
        "Material's light/dark switch: radio buttons acting in place, nothing to submit",
    ),
    (
        "WCAG2AA.Principle3.Guideline3_2.3_2_2.H32.2",
        re.compile(r'^<form class="md-search__form" name="search"'),
        # The search form shows results as the reader types and never leaves
        # the page; Enter opens the chosen result, a change the reader asked
        # for. A single-field form is submitted by Enter without a button.
        "Material's search box: results appear in place as you type, nothing to submit",
    ),
]


def filtered(issue: dict) -> str | None:
    """The reason an issue is a known false positive, or None if it counts."""
    for code, markup, reason in FILTERS:
        if issue["code"] == code and markup.search(issue.get("context") or ""):
            return reason
    return None


# A static host: gzip for text, as GitHub Pages sends it -------------------------

COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map")


class _GzipHandler(check_links._SiteHandler):
    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (
            wants_gzip
            and path.suffix in COMPRESSIBLE
            and path.is_file()
            and self.path.split("?")[0].endswith(("/", path.name))
        ):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        # GitHub Pages' own caching: ten minutes
        self.send_header("Cache-Control", "max-age=600")
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


def serve_gzip(directory: Path, prefix: str):
    """Serve directory gzip-compressed on a free port of 127.0.0.1; yields the base URL."""
    return check_links.serve(directory, prefix, handler_class=_GzipHandler)


# Lighthouse ---------------------------------------------------------------------


def lighthouse(url: str, form_factor: str, out_dir: Path) -> dict:
    """One Lighthouse run: {category: score 0-100, "failed": [audit ids under 1]}."""
    out = out_dir / f"lh-{form_factor}-{abs(hash(url))}.json"
    cmd = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--only-categories=" + ",".join(CATEGORIES),
    ]
    if form_factor == "desktop":
        cmd.append("--preset=desktop")
    env = dict(os.environ, CHROME_PATH=str(CHROMIUM))
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    if proc.returncode != 0 or not out.is_file():
        raise AuditError(f"lighthouse failed on {url} ({form_factor}):\n{proc.stderr[-2000:]}")
    report = json.loads(out.read_text())
    scores = {
        c: round(report["categories"][c]["score"] * 100)
        for c in CATEGORIES
        if report["categories"][c]["score"] is not None
    }
    failed = []
    for category in CATEGORIES:
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                failed.append(f"{category}/{ref['id']} ({audit['score']})")
    metrics = {
        k: round(report["audits"][k]["numericValue"])
        for k in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "speed-index")
        if report["audits"].get(k, {}).get("numericValue") is not None
    }
    cls = report["audits"].get("cumulative-layout-shift", {}).get("numericValue")
    if cls is not None:
        metrics["cumulative-layout-shift"] = round(cls, 3)
    return {
        "scores": scores,
        "failed": failed,
        "metrics_ms": metrics,
        # Lighthouse's measure of this machine's speed at the time (a busy
        # machine scores low, and its simulated performance drops with it)
        "benchmark_index": round(report.get("environment", {}).get("benchmarkIndex", 0)),
        "run_warnings": report.get("runWarnings", []),
    }


def lighthouse_median(url: str, form_factor: str, out_dir: Path, runs: int) -> dict:
    """The run with the median performance score of `runs` runs (Lighthouse's
    own advice for its variable performance figure), with every run's scores."""
    results = [lighthouse(url, form_factor, out_dir) for _ in range(runs)]
    results.sort(key=lambda r: r["scores"].get("performance", 0))
    median = dict(results[len(results) // 2])
    if runs > 1:
        median["performance_runs"] = [r["scores"].get("performance") for r in results]
    return median


# pa11y ----------------------------------------------------------------------------


def pa11y(urls: list[str]) -> dict[str, dict]:
    """{url: {"errors": [...], "filtered": [...]}} from scripts/pa11y_pages.js."""
    env = dict(os.environ, CHROMIUM=str(CHROMIUM), PUPPETEER_SKIP_DOWNLOAD="1")
    proc = subprocess.run(["node", str(PA11Y_SCRIPT), *urls], capture_output=True, text=True, env=env, timeout=900)
    if proc.returncode != 0:
        raise AuditError(f"pa11y failed:\n{proc.stderr[-2000:]}")
    report = json.loads(proc.stdout)
    result = {}
    for url, issues in report.items():
        errors = [i for i in issues if i["type"] == "error"]
        result[url] = {
            "errors": [i for i in errors if not filtered(i)],
            "filtered": [dict(i, reason=filtered(i)) for i in errors if filtered(i)],
        }
    return result


def page_urls(site: Path, base: str) -> list[str]:
    """Every built page (but the 404 page) as a directory URL."""
    urls = []
    for path in sorted(site.rglob("index.html")):
        rel = path.relative_to(site).as_posix().removesuffix("index.html")
        urls.append(base + rel)
    return urls


class AuditError(Exception):
    """A tool could not run."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="built site (default: site/)")
    parser.add_argument("--json", type=Path, default=ROOT / "build/audit.json", help="where to write figures")
    parser.add_argument("--no-lighthouse", action="store_true", help="skip Lighthouse")
    parser.add_argument("--no-pa11y", action="store_true", help="skip pa11y")
    # Five: Lighthouse's own advice for its performance score, which moves by
    # several points from run to run on a shared machine
    parser.add_argument(
        "--runs",
        type=int,
        default=5,
        help="Lighthouse runs per page and form factor; the median by performance is kept (default 5)",
    )
    args = parser.parse_args(argv)

    site = args.site.resolve()
    problems = []
    if not (site / "index.html").is_file():
        problems.append(f"{args.site}/index.html not found: run `make site` first")
    if not CHROMIUM.is_file():
        problems.append(f"{CHROMIUM} not found: `apt-get install chromium`")
    if not LIGHTHOUSE.is_file() or not (NODE_MODULES / "pa11y").is_dir():
        problems.append("node_modules/lighthouse or node_modules/pa11y missing: run `npm ci`")
    if problems:
        for problem in problems:
            print(f"audit: {problem}", file=sys.stderr)
        return 2

    data: dict = {
        "site": str(site),
        "targets": TARGETS,
        "lighthouse_runs": args.runs,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "lighthouse": {},
        "pa11y": {},
    }
    missed = []
    try:
        with serve_gzip(site, check_links.site_prefix()) as base, tempfile.TemporaryDirectory(prefix="audit-") as tmp:
            if not args.no_lighthouse:
                print(f"{'page':15} {'form':8} " + " ".join(f"{c[:13]:>13}" for c in CATEGORIES) + "  benchmark")
                for name, path in PAGES.items():
                    for form in ("mobile", "desktop"):
                        result = lighthouse_median(base + path, form, Path(tmp), args.runs)
                        data["lighthouse"].setdefault(name, {})[form] = result
                        row = [f"{result['scores'].get(c, '-'):>13}" for c in CATEGORIES]
                        metrics = result["metrics_ms"]
                        spread = (
                            f"  performance runs {result['performance_runs']}" if "performance_runs" in result else ""
                        )
                        print(
                            f"{name:15} {form:8} " + " ".join(row) + f"  {result['benchmark_index']:>9}"
                            f"  (FCP {metrics.get('first-contentful-paint', '-')} ms,"
                            f" TBT {metrics.get('total-blocking-time', '-')} ms{spread})",
                            flush=True,
                        )
                        for category, target in TARGETS[form].items():
                            score = result["scores"].get(category)
                            if score is None or score < target:
                                missed.append(
                                    f"lighthouse {name} {form} {category}: {score} < {target}"
                                    f" ({', '.join(f for f in result['failed'] if f.startswith(category))})"
                                )
            if not args.no_pa11y:
                urls = page_urls(site, base)
                results = pa11y(urls)
                errors = sum(len(r["errors"]) for r in results.values())
                hidden = sum(len(r["filtered"]) for r in results.values())
                data["pa11y"] = {
                    "pages": len(urls),
                    "errors": errors,
                    "filtered": hidden,
                    "by_page": {u.removeprefix(base) or "/": r for u, r in results.items()},
                }
                print(
                    f"\npa11y (HTML_CodeSniffer, WCAG2AA): {len(urls)} pages, {errors} errors "
                    f"({hidden} filtered as known false positives)"
                )
                for url, r in results.items():
                    for issue in r["errors"]:
                        print(
                            f"  {url.removeprefix(base) or '/'}: {issue['code']} at {issue['selector']}: "
                            f"{issue['message'][:120]}"
                        )
                if errors:
                    missed.append(f"pa11y: {errors} errors")
    except AuditError as error:
        print(f"audit: {error}", file=sys.stderr)
        return 2
    data["missed"] = missed
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(data, indent=1) + "\n")
    print(f"\nwrote {args.json}")
    for line in missed:
        print(f"MISSED: {line}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
