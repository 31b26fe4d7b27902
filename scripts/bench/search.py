"""5. Search latency in Chromium: from the last keystroke to the first result.

The query is typed one key at a time, as a reader types it (Material reads
keyup). All but the last key go first and the page is left to settle, so
that nothing from the shorter query is still on its way; then, in the page,
a capturing keydown listener stamps performance.now() for the last key and
a MutationObserver stamps the moment the first `.md-search-result__item` is
added to the result list. Hosted (http://127.0.0.1) and offline (file://,
the bundle as shipped, where the search worker runs in the iframe-worker
shim)."""

from __future__ import annotations

from pathlib import Path

from .common import BenchError, median, serve

QUERIES = ("sciatica", "cupping", "piriformis", "stenosis", "honey", "diary")
SETTLE_MS = 300

INSTALL = """() => {
  const input = document.querySelector("input.md-search__input");
  const list = document.querySelector(".md-search-result__list");
  window.__bench = {armed: false, t0: null, t1: null};
  input.addEventListener("keydown", () => {
    const b = window.__bench;
    if (b.armed) { b.t0 = performance.now(); b.armed = false; }
  }, {capture: true});
  new MutationObserver(records => {
    const b = window.__bench;
    if (b.t0 === null || b.t1 !== null) return;
    for (const record of records)
      for (const node of record.addedNodes)
        if (node.nodeType === 1 && (node.matches(".md-search-result__item") ||
                                    node.querySelector(".md-search-result__item"))) {
          b.t1 = performance.now();
          return;
        }
  }).observe(list, {childList: true, subtree: true});
}"""

READY = """() => {
  const meta = document.querySelector(".md-search-result__meta");
  return meta && !/initiali[sz]ing/i.test(meta.textContent);
}"""


def latencies(browser, url: str, queries: tuple[str, ...], rounds: int) -> dict[str, list[float]]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(url, wait_until="load")
    search = page.locator("input.md-search__input")
    search.click()  # opens the search dialog
    page.wait_for_function(READY, timeout=30_000)  # the index is loaded
    page.evaluate(INSTALL)
    found: dict[str, list[float]] = {q: [] for q in queries}
    for _ in range(rounds):
        for query in queries:
            search.press_sequentially(query[:-1])
            page.wait_for_timeout(SETTLE_MS)
            page.evaluate("() => Object.assign(window.__bench, {armed: true, t0: null, t1: null})")
            page.keyboard.press(query[-1])
            try:
                page.wait_for_function("() => window.__bench.t1 !== null", timeout=10_000)
            except Exception as exc:  # a Playwright timeout: say which query and where
                raise BenchError(f"search for {query!r} showed no result within 10 s at {url}") from exc
            found[query].append(page.evaluate("() => window.__bench.t1 - window.__bench.t0"))
            search.press("Control+a")
            search.press("Backspace")
            page.wait_for_timeout(SETTLE_MS)
    context.close()
    return found


def summarise(found: dict[str, list[float]]) -> dict:
    every = [t for times in found.values() for t in times]
    return {
        "median_ms": round(median(every), 1),
        "max_ms": round(max(every), 1),
        "per_query_median_ms": {q: round(median(times), 1) for q, times in found.items()},
    }


def measure(browser, hosted_site: Path, offline_folder: Path, quick: bool) -> dict:
    queries = QUERIES[:2] if quick else QUERIES
    rounds = 1 if quick else 2
    with serve(hosted_site) as base:
        hosted = latencies(browser, base, queries, rounds)
    offline = latencies(browser, (offline_folder / "index.html").as_uri(), queries, rounds)
    return {"queries": list(queries), "rounds": rounds, "hosted": summarise(hosted), "offline": summarise(offline)}
