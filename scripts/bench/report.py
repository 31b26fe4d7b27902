"""The table `make bench` prints. FIGURES names every headline figure by its
path in the JSON, so the table, the README and the test agree on them."""

from __future__ import annotations

# (label, path in the JSON, unit, target as text)
FIGURES = (
    ("Build, real site, hooks on (median)", "build.median_s.hooks", "s", ""),
    ("Build, lint hook off (PAGELINT_HOOK=0)", "build.median_s.lint_off", "s", ""),
    ("Build, no hooks at all", "build.median_s.no_hooks", "s", ""),
    ("Time inside the hooks, per build (median)", "build.median_hooks_s", "s", ""),
    ("Hook ratio, separate builds (hooks / lint off)", "build.hook_ratio", "x", "<= 1.10"),
    ("Hook ratio, in-build (build / build - hooks)", "build.hook_ratio_in_build", "x", "<= 1.10"),
    ("Hook work per real page (one process)", "scale.hook_ms_per_page_real_site", "ms", ""),
    ("Corpus S: build", "scale.small.build_s", "s", ""),
    ("Corpus S: build per page", "scale.small.build_ms_per_page", "ms", ""),
    ("Corpus S: hook ratio, in-build", "scale.small.hook_ratio_in_build", "x", "<= 1.10"),
    ("Corpus S: lint (rendering incl., 2 jobs)", "scale.small.lint_pages_per_s", "pages/s", ">= 200"),
    ("Corpus S: built-site check", "scale.small.site_check_pages_per_s", "pages/s", ""),
    ("Corpus L: build", "scale.large.build_s", "s", ""),
    ("Corpus L: build per page", "scale.large.build_ms_per_page", "ms", ""),
    ("Corpus L: hook ratio, in-build", "scale.large.hook_ratio_in_build", "x", "<= 1.10"),
    ("Corpus L: lint (rendering incl., 2 jobs)", "scale.large.lint_pages_per_s", "pages/s", ">= 200"),
    ("Corpus L: lint per CPU-second", "scale.large.lint_pages_per_cpu_s", "pages", ""),
    ("Corpus L: built-site check", "scale.large.site_check_pages_per_s", "pages/s", ""),
    ("Growth S->L: build time ratio", "scale.growth.build_time_ratio", "x", ""),
    ("Growth: build per extra page", "scale.growth.build_ms_per_extra_page", "ms", ""),
    ("Lint, one process, per page (stages)", "scale.lint_stages.ms_per_page_total", "ms", ""),
    ("Lint of the real pages (make lint)", "scale.real_site_lint_s", "s", ""),
    ("Page view, home (gzip)", "weight.home_gzip_kb", "KB", "<= 80"),
    ("Page view, techniques/cupping (gzip)", "weight.content_gzip_kb", "KB", "<= 80"),
    ("Same, repeat visit (HTML only, rest cached)", "weight.content_repeat_view_gzip_kb", "KB", ""),
    ("Diary tool: its JS + CSS (gzip)", "weight.tools.diary.added_gzip_kb", "KB", "<= 8"),
    ("Diary tool: JS (gzip)", "weight.tools.diary.js_gzip_kb", "KB", ""),
    ("Diary tool: CSS (gzip)", "weight.tools.diary.css_gzip_kb", "KB", ""),
    ("Urgent-help checker: its JS + CSS (gzip)", "weight.tools.checker.added_gzip_kb", "KB", "<= 8"),
    ("Urgent-help checker: JS (gzip)", "weight.tools.checker.js_gzip_kb", "KB", ""),
    ("Urgent-help checker: CSS (gzip)", "weight.tools.checker.css_gzip_kb", "KB", ""),
    ("Search index, hosted (gzip)", "weight.search_index_gzip_kb", "KB", ""),
    ("Search index, hosted (raw)", "weight.search_index_raw_kb", "KB", ""),
    ("Offline zip, before exclusions", "offline.zip_kb_before", "KB", ""),
    ("Offline zip, as shipped", "offline.zip_kb", "KB", "<= 1024"),
    ("Offline search index (raw)", "offline.search_index_kb", "KB", ""),
    ("Print edition PDF: make pdf (site build + PDF)", "pdf.build_s", "s", "< 60"),
    ("Print edition PDF: WeasyPrint only", "pdf.render_s", "s", ""),
    ("Print edition PDF: WeasyPrint CPU time", "pdf.render_cpu_s", "s", ""),
    ("Print edition PDF: pages", "pdf.pages", "pages", ""),
    ("Print edition PDF: size", "pdf.size_mb", "MB", "< 5"),
    ("Search latency, hosted (median)", "search.hosted.median_ms", "ms", ""),
    ("Search latency, offline file:// (median)", "search.offline.median_ms", "ms", ""),
)


def lookup(data: dict, path: str):
    """Follow a dotted path; scale.small/large stand for the smallest and largest corpus."""
    node = data
    for part in path.split("."):
        if node is None:
            return None
        if part in ("small", "large") and "sizes" in node:
            part = str(node["sizes"][0 if part == "small" else -1])
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _label(label: str, data: dict) -> str:
    sizes = (data.get("scale") or {}).get("sizes")
    if sizes:
        label = label.replace("Corpus S", f"{sizes[0]} pages").replace("Corpus L", f"{sizes[-1]} pages")
        label = label.replace("S->L", f"{sizes[0]}->{sizes[-1]}")
    return label


def table(data: dict) -> str:
    rows = [("Figure", "Value", "Target")]
    for label, path, unit, target in FIGURES:
        value = lookup(data, path)
        shown = "skipped" if value is None else f"{value:g} {unit}"
        rows.append((_label(label, data), shown, target))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def details(data: dict) -> str:
    """The breakdowns behind the headline figures."""
    out = []
    scale = data.get("scale") or {}
    corpus, real = scale.get("lint_stages"), scale.get("lint_stages_real_site")
    if corpus and real:
        out.append(
            f"Lint time per page in one process, ms ({corpus['pages']} corpus pages of "
            f"{lookup(data, 'scale.small.words_per_page')} words / {real['pages']} real pages, "
            f"median {scale['real_site_words_per_page_median']} words):"
        )
        for name, ms in sorted(corpus["ms_per_page"].items(), key=lambda x: -x[1]):
            out.append(f"  {name:28} {ms:6.2f} / {real['ms_per_page'].get(name, 0):6.2f}")
        out.append(f"  {'total':28} {corpus['ms_per_page_total']:6.1f} / {real['ms_per_page_total']:6.1f}")
        out += [f"  once per process: {name} {s} s" for name, s in corpus["once_per_process_s"].items()]
    weight = data.get("weight") or {}
    if weight.get("variants"):
        out.append("Page weight by theme variant (gzip KB: home / cupping; without the search worker):")
        for name, variant in weight["variants"].items():
            home, content = variant["home"], variant["content"]
            out.append(
                f"  {name:26} {home['page_view_gzip_kb']:6.1f} / {content['page_view_gzip_kb']:6.1f}"
                f"   ({home['page_view_without_search_worker_gzip_kb']:.1f} / "
                f"{content['page_view_without_search_worker_gzip_kb']:.1f})"
            )
        configured = weight["variants"]["as configured"]["content"]
        out.append("Largest items, techniques/cupping (gzip KB):")
        out += [f"  {item['gzip_kb']:6.1f}  {item['kind']:14} {item['item']}" for item in configured["largest"]]
        tools = weight.get("tools")
        if tools:
            out.append(
                f"Reader tools: page view of the diary / checker {tools['diary']['page_view_gzip_kb']:.1f} / "
                f"{tools['checker']['page_view_gzip_kb']:.1f} KB gzip; tool files in the home and cupping "
                f"page views: {tools['on_other_page_views_bytes']} bytes; pages that load a tool file: "
                f"{len(tools['pages_loading_tool_files'])} of {tools['pages_total']} "
                f"({', '.join(tools['pages_loading_tool_files'])})"
            )
        if configured["failed"]:
            out.append("Requests that failed (no network here; not counted): " + ", ".join(configured["failed"]))
    search = data.get("search") or {}
    for mode in ("hosted", "offline"):
        if search.get(mode):
            per = ", ".join(f"{q} {ms:g}" for q, ms in search[mode]["per_query_median_ms"].items())
            out.append(f"Search latency {mode} per query (ms): {per}")
    return "\n".join(out)
