"""3. Page weight: what a browser downloads for one page view.

Each page is opened in a fresh browser context (an empty cache, as on a
first visit) from the site served on 127.0.0.1; every response body is
gzip-compressed as a server would send it (images and fonts that are already
compressed are counted as they are). The page view is everything except the
search index, which loads after the page; the search worker script is
listed on its own line because it is search machinery that loads with every
page. Theme variants are built from configs that INHERIT mkdocs.yml."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlparse

from .common import gzip_size, kb, project_config, serve, timed_build, variant_config

TARGET_KB = 80
PAGES = {"home": "", "content": "techniques/cupping/"}
# The reader tools (issue #17): their pages, and the files only those pages load
TOOL_PAGES = {"diary": "course-planning/progress-diary/", "checker": "safety/do-i-need-urgent-help/"}
TOOL_FILES = (
    "assets/javascripts/diary.js",
    "assets/stylesheets/diary.css",
    "assets/javascripts/urgency-check.js",
    "assets/stylesheets/urgency-check.css",
)
TOOL_TARGET_KB = 8
SEARCH_INDEX = "search/search_index.json"
ALREADY_COMPRESSED = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".woff", ".woff2", ".ico")


def _kind(path: str, resource_type: str) -> str:
    if path.endswith(SEARCH_INDEX):
        return "search index"
    if "/workers/" in path:
        return "search worker"
    return {"document": "html", "stylesheet": "css", "script": "js", "image": "image", "font": "font"}.get(
        resource_type, "image" if path.endswith((".png", ".svg", ".ico", ".jpg")) else resource_type
    )


def page_view(browser, base: str, path: str, keep_items: bool = False) -> dict:
    context = browser.new_context()
    page = context.new_page()
    finished, failed = [], []
    context.on("requestfinished", lambda request: finished.append(request))
    context.on("requestfailed", lambda request: failed.append(request))
    # The search index is fetched once the page has started; wait for it so it is measured too
    with page.expect_request_finished(lambda r: r.url.endswith(SEARCH_INDEX), timeout=30_000):
        page.goto(base + path, wait_until="load")
    page.wait_for_load_state("networkidle")
    items = []
    for request in finished:
        response = request.response()
        body = response.body() if response else b""
        url = urlparse(request.url)
        name = url.path.removeprefix(urlparse(base).path) or "/"
        compressed = url.path.endswith(ALREADY_COMPRESSED)
        items.append(
            {
                "item": name,
                "kind": _kind(url.path, request.resource_type),
                "raw_bytes": len(body),
                "gzip_bytes": len(body) if compressed else gzip_size(body),
            }
        )
    context.close()
    view = [i for i in items if i["kind"] != "search index"]
    index = [i for i in items if i["kind"] == "search index"]
    total = sum(i["gzip_bytes"] for i in view)
    worker = sum(i["gzip_bytes"] for i in view if i["kind"] == "search worker")
    return {
        "page_view_gzip_kb": kb(total),
        "page_view_raw_kb": kb(sum(i["raw_bytes"] for i in view)),
        "page_view_without_search_worker_gzip_kb": kb(total - worker),
        "html_gzip_kb": kb(sum(i["gzip_bytes"] for i in view if i["kind"] == "html")),
        "requests": len(view),
        "search_index_gzip_kb": kb(sum(i["gzip_bytes"] for i in index)),
        "largest": [
            {**i, "gzip_kb": kb(i["gzip_bytes"])} for i in sorted(view, key=lambda i: i["gzip_bytes"], reverse=True)[:6]
        ],
        # Requests that did not complete (e.g. to another origin with no network): not counted
        "failed": sorted({r.url for r in failed}),
        **({"items": items} if keep_items else {}),
    }


def tools(browser, base: str, site: Path, other_views: dict[str, dict]) -> dict:
    """What each tool adds to its page view (its own JS and CSS, gzip), and
    proof that no other page pays for them: the tool files among the other
    pages' page views, and the built pages whose HTML names a tool file."""
    result: dict = {"target_kb": TOOL_TARGET_KB}
    for label, path in TOOL_PAGES.items():
        view = page_view(browser, base, path, keep_items=True)
        own = [i for i in view.pop("items") if i["item"].lstrip("/") in TOOL_FILES]
        js = sum(i["gzip_bytes"] for i in own if i["kind"] == "js")
        css = sum(i["gzip_bytes"] for i in own if i["kind"] == "css")
        result[label] = {
            "files": sorted(i["item"] for i in own),
            "js_gzip_kb": kb(js),
            "css_gzip_kb": kb(css),
            "added_gzip_kb": kb(js + css),
            "page_view_gzip_kb": view["page_view_gzip_kb"],
        }
    result["on_other_page_views_bytes"] = sum(
        i["gzip_bytes"] for v in other_views.values() for i in v["all_items"] if i["item"].lstrip("/") in TOOL_FILES
    )
    pages = [p for p in site.rglob("*.html") if any(f in p.read_text(encoding="utf-8") for f in TOOL_FILES)]
    result["pages_loading_tool_files"] = sorted(p.relative_to(site).as_posix() for p in pages)
    result["pages_total"] = sum(1 for _ in site.rglob("*.html"))
    return result


def variants(quick: bool) -> dict[str, dict]:
    """Theme variants to compare: the features as they are, and one change each."""
    features = list(project_config()["theme"].get("features", []))

    def without(name):
        return [f for f in features if f != name]

    def adding(name):
        return sorted({*features, name})

    found = {"as configured": None}
    if quick:
        return found
    found["navigation.prune off" if "navigation.prune" in features else "navigation.prune on"] = (
        without("navigation.prune") if "navigation.prune" in features else adding("navigation.prune")
    )
    found["navigation.tabs off"] = without("navigation.tabs")
    found["navigation.sections off"] = without("navigation.sections")
    found["toc.integrate on"] = adding("toc.integrate")
    return found


def measure(browser, tmp: Path, configured_site: Path | None, quick: bool) -> dict:
    """Weigh home and a content page for each variant; configured_site reuses a build."""
    result: dict = {"target_kb": TARGET_KB, "pages": PAGES, "variants": {}}
    for name, features in variants(quick).items():
        site = tmp / f"weight-{len(result['variants'])}"
        if features is None and configured_site is not None:
            site = configured_site
        else:
            shutil.rmtree(site, ignore_errors=True)
            # The lint does not change what is built: switched off to save time
            config = (
                None
                if features is None
                else variant_config(site.with_name(site.name + "-cfg"), theme={"features": features})
            )
            timed_build(site, config, PAGELINT_HOOK="0")
        with serve(site) as base:
            views = {label: page_view(browser, base, path, keep_items=True) for label, path in PAGES.items()}
            if features is None:
                for view in views.values():
                    view["all_items"] = view.pop("items")
                result["tools"] = tools(browser, base, site, views)
                for view in views.values():
                    view.pop("all_items")
            else:
                for view in views.values():
                    view.pop("items")
        result["variants"][name] = {"features": features, **views}
    configured = result["variants"]["as configured"]
    result["home_gzip_kb"] = configured["home"]["page_view_gzip_kb"]
    result["content_gzip_kb"] = configured["content"]["page_view_gzip_kb"]
    # The theme's assets have hashed names and stay cached: a second page view fetches the HTML
    result["content_repeat_view_gzip_kb"] = configured["content"]["html_gzip_kb"]
    result["search_index_gzip_kb"] = configured["home"]["search_index_gzip_kb"]
    index = (configured_site or tmp / "weight-0") / SEARCH_INDEX
    result["search_index_raw_kb"] = kb(index.stat().st_size) if index.exists() else None
    result["lightest"] = min(result["variants"], key=lambda v: result["variants"][v]["content"]["page_view_gzip_kb"])
    return result
