"""2. Scale: generated corpora of N pages (100 and 1,000 by default).

For each size: a strict build (the project's theme, hooks and extensions),
the page lint over the Markdown with rendering included, on both cores as
`make lint` runs it (worker start-up and the readability dictionary load
included), and the built-site check over the HTML. Also where the lint's time
goes, per stage, measured in one process over a sample of pages."""

from __future__ import annotations

import collections
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from .common import ROOT, BenchError, build_env, timed_build_with_hook_timer
from .corpus import count_pages, generate

sys.path.insert(0, str(ROOT / "scripts"))
from pagelint.context import Context
from pagelint.page import read_page
from pagelint.rules import RULES
from pagelint.site_check import check_site
from pagelint.siteconfig import load_site_config

TARGET_LINT_PAGES_PER_S = 200

# What each lint process pays once, timed in a fresh interpreter
ONCE_PER_PROCESS = """
import sys, time
t0 = time.perf_counter()
sys.path.insert(0, {scripts!r})
from pathlib import Path
from pagelint.context import Context
from pagelint.siteconfig import load_site_config
t1 = time.perf_counter()
ctx = Context.create(load_site_config(Path({config!r})))
ctx.disclaimer_text
t2 = time.perf_counter()
import textstat
textstat.flesch_kincaid_grade("A short text. It warms up the dictionary.")
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2)
"""


def _cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def measure_size(tmp: Path, pages: int, jobs: int) -> dict:
    folder = tmp / f"corpus-{pages}"
    config = generate(folder, pages)
    docs = folder / "docs"
    site = folder / "site"
    shutil.rmtree(site, ignore_errors=True)
    # Timed inside the build too: the hooks' share of it at this size (see hooktime.py)
    build_s, timing = timed_build_with_hook_timer(site, config)
    hooks_s = sum(timing["hooks_s"].values())
    built_pages = sum(1 for _ in site.rglob("index.html"))

    lint_s, lint_cpu, linted = lint_command(docs, config, jobs)
    if linted != pages:
        raise BenchError(f"the lint saw {linted} of the corpus's {pages} pages")

    ctx = Context.create(load_site_config(config))
    ctx.disclaimer_text  # noqa: B018 - built once, before the clock starts
    start = time.perf_counter()
    site_findings = check_site(site, ctx)
    check_s = time.perf_counter() - start
    if site_findings:
        raise BenchError(f"the built corpus fails the site check: {site_findings[0]}")

    return {
        "pages": count_pages(docs),
        "words_per_page": round(sum(len(p.read_text(encoding="utf-8").split()) for p in docs.rglob("*.md")) / pages),
        "build_s": round(build_s, 2),
        "build_ms_per_page": round(build_s * 1000 / pages, 1),
        "hooks_s": round(hooks_s, 2),
        "hook_ratio_in_build": round(build_s / (build_s - hooks_s), 3),
        "lint_s": round(lint_s, 2),
        "lint_cpu_s": round(lint_cpu, 2),
        "lint_jobs": jobs,
        "lint_pages_per_s": round(pages / lint_s, 1),
        # Steadier than wall time when other jobs share the cores: x2 is what two free cores would give
        "lint_pages_per_cpu_s": round(pages / lint_cpu, 1),
        "site_check_s": round(check_s, 2),
        "site_check_pages": built_pages,
        "site_check_pages_per_s": round(built_pages / check_s, 1),
    }


def lint_command(docs: Path, config: Path, jobs: int) -> tuple[float, float, int]:
    """`make lint` as it runs: the CLI in a fresh process (its own worker pool on
    both cores, start-up and the readability dictionary load included).
    Returns (wall seconds, CPU seconds, pages linted); the pages must be clean."""
    cmd = [
        sys.executable,
        str(ROOT / "scripts/lint_pages.py"),
        str(docs),
        "--config",
        str(config),
        "--jobs",
        str(jobs),
        "--format",
        "json",
    ]
    start, cpu = time.perf_counter(), _cpu()
    result = subprocess.run(cmd, env=build_env(), capture_output=True, text=True)
    wall, cpu = time.perf_counter() - start, _cpu() - cpu
    if result.returncode != 0:
        raise BenchError(
            f"the lint found errors in {docs} (exit {result.returncode}):\n"
            f"{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    pages = sum(1 for p in docs.rglob("*.md") if "includes" not in p.relative_to(docs).parts)
    return wall, cpu, pages


def once_per_process(config: Path) -> dict:
    code = ONCE_PER_PROCESS.format(scripts=str(ROOT / "scripts"), config=str(config))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    imports, context, dictionary = (round(float(x), 2) for x in out.split())
    return {
        "import pagelint": imports,
        "context (Markdown, disclaimer)": context,
        "first readability call (cmudict load)": dictionary,
    }


def lint_stages(config: Path, sample: int) -> dict:
    """Milliseconds per page spent in each stage of the lint, in one process."""
    site = load_site_config(config)
    ctx = Context.create(site)
    ctx.disclaimer_text  # noqa: B018
    snippets = [d.resolve() for d in site.snippet_dirs]
    files = sorted(p for p in site.docs_dir.rglob("*.md") if not any(p.resolve().is_relative_to(d) for d in snippets))[
        :sample
    ]
    times: collections.Counter = collections.Counter()
    first_readability = None  # includes textstat's dictionary load, unless already loaded
    for path in files:
        t0 = time.perf_counter()
        page = read_page(path, site)
        t1 = time.perf_counter()
        ctx.renderer.render(page)
        t2 = time.perf_counter()
        page.tree  # noqa: B018 - parsed once, shared by the rules
        t3 = time.perf_counter()
        times["read + front matter"] += t1 - t0
        times["render (Markdown)"] += t2 - t1
        times["parse HTML (lxml)"] += t3 - t2
        for rule in RULES:
            t = time.perf_counter()
            list(rule(page, ctx))
            spent = time.perf_counter() - t
            name = rule.__module__.rsplit(".", 1)[-1]
            if name == "readability" and first_readability is None:
                first_readability = spent
                continue
            times[f"rule {name}"] += spent
    per_page = {
        stage: round(total * 1000 / max(1, len(files) - (stage == "rule readability")), 2)
        for stage, total in times.items()
    }
    return {
        "pages": len(files),
        "ms_per_page": per_page,
        "ms_per_page_total": round(sum(per_page.values()), 1),
        "once_per_process_s": once_per_process(config),
    }


def measure(tmp: Path, sizes: list[int], stage_sample: int) -> dict:
    jobs = min(2, os.cpu_count() or 1)
    result: dict = {"sizes": sizes, "target_lint_pages_per_s": TARGET_LINT_PAGES_PER_S}
    for pages in sizes:
        result[str(pages)] = measure_size(tmp, pages, jobs)
    small, large = result[str(sizes[0])], result[str(sizes[-1])]
    result["growth"] = {
        "pages_ratio": round(sizes[-1] / sizes[0], 1),
        "build_time_ratio": round(large["build_s"] / small["build_s"], 2),
        # Cost of each extra page once fixed start-up costs are paid
        "build_ms_per_extra_page": round((large["build_s"] - small["build_s"]) * 1000 / (sizes[-1] - sizes[0]), 1),
    }
    result["lint_stages"] = lint_stages(tmp / f"corpus-{sizes[0]}" / "mkdocs.yml", stage_sample)
    # The real pages too: what the MkDocs hook pays per page is read + parse HTML + its rules
    result["lint_stages_real_site"] = lint_stages(ROOT / "mkdocs.yml", stage_sample)
    # The hook reuses MkDocs' HTML and skips readability: the rest is what it adds to each page
    result["hook_ms_per_page_real_site"] = round(
        sum(
            ms
            for stage, ms in result["lint_stages_real_site"]["ms_per_page"].items()
            if stage not in ("render (Markdown)", "rule readability")
        ),
        1,
    )
    # `make lint` on the real pages, as on every save
    lint_s, _cpu_s, result["real_site_pages"] = lint_command(ROOT / "docs", ROOT / "mkdocs.yml", jobs)
    result["real_site_lint_s"] = round(lint_s, 2)
    real = [p for p in (ROOT / "docs").rglob("*.md") if "includes" not in p.parts]
    result["real_site_words_per_page_median"] = round(
        statistics.median(len(p.read_text(encoding="utf-8").split()) for p in real)
    )
    return result
