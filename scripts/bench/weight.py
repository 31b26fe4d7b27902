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
SEARCH_INDEX = "search/search_index.json"
ALREADY_COMPRESSED = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".woff", ".woff2", ".ico")


def _kind(path: str, resource_type: str) -> str:
    if path.endswith(SEARCH_INDEX):
        return "search index"
    if "/workers/" in path:
        return "search worker"
    return {"document": "html", "stylesheet": "css", "script": "js", "image": "image", "font": "font"}.get(
        resource_type, "image" if path.endswith((".png", ".svg", ".ico", ".jpg")) else resource_type)


def page_view(browser, base: str, path: str) -> dict:
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
        items.append({"item": name, "kind": _kind(url.path, request.resource_type),
                      "raw_bytes": len(body), "gzip_bytes": len(body) if compressed else gzip_size(body)})
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
        "largest": [{**i, "gzip_kb": kb(i["gzip_bytes"])} for i in
                    sorted(view, key=lambda i: i["gzip_bytes"], reverse=True)[:6]],
        # Requests that did not complete (e.g. to another origin with no network): not counted
        "failed": sorted({r.url for r in failed}),
    }


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
        without("navigation.prune") if "navigation.prune" in features else adding("navigation.prune"))
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
            config = None if features is None else variant_config(site.with_name(site.name + "-cfg"),
                                                                   theme={"features": features})
            timed_build(site, config, PAGELINT_HOOK="0")
        with serve(site) as base:
            views = {label: page_view(browser, base, path) for label, path in PAGES.items()}
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
