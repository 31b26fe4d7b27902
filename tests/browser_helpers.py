"""Playwright helpers for the browser tests (issue #7): Debian's Chromium,
contexts that record every request and block any that would leave the
machine, console-error capture, axe-core, Material's search and palette."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from site_helpers import AXE_JS, CHROMIUM

LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

# WCAG 2.0, 2.1 and 2.2, levels A and AA, plus axe's best practices
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]

# URL schemes that never reach the network
NOT_NETWORK = ("data:", "blob:", "about:")


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)


@dataclass
class Recorder:
    """What one browser context did: requests (with the page that was open),
    console errors and uncaught exceptions."""

    is_local: Callable[[str], bool]
    requests: list[tuple[str, str]] = field(default_factory=list)
    console_errors: list[tuple[str, str]] = field(default_factory=list)
    current: str = ""

    def foreign(self) -> list[tuple[str, str]]:
        """(page, request) pairs that went, or tried to go, elsewhere."""
        return [
            (page, url) for page, url in self.requests if not url.startswith(NOT_NETWORK) and not self.is_local(url)
        ]

    def watch(self, page) -> None:
        page.on("console", lambda msg: msg.type == "error" and self.console_errors.append((self.current, msg.text)))
        page.on("pageerror", lambda exc: self.console_errors.append((self.current, f"uncaught: {exc}")))
        # WebSockets are not "requests" to Playwright: record them too
        page.on("websocket", lambda ws: self.requests.append((self.current, ws.url)))


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def local_pattern(base_url: str) -> str:
    """Regex for local URLs: the site's own origin (hosted) or file: (offline)."""
    if base_url.startswith("file:"):
        return r"^file:"
    return "^" + re.escape(origin_of(base_url) + "/")


def new_context(browser, base_url: str, **options):
    """A fresh context (no cookies, empty storage) that records every request
    and aborts any that is not local, so a test run never talks to a third party."""
    local = re.compile(local_pattern(base_url))
    recorder = Recorder(is_local=lambda url: bool(local.match(url)))
    context = browser.new_context(**(options or DESKTOP))
    context.on("request", lambda req: recorder.requests.append((recorder.current, req.url)))
    # A regex (not a Python callback) is matched in the driver: local requests
    # are not intercepted and stay fast
    not_local = re.compile(r"^(?!" + local.pattern.removeprefix("^") + r"|data:|blob:|about:)")
    context.route(not_local, lambda route: route.abort())
    context.on("page", recorder.watch)
    return context, recorder


def goto(page, recorder: Recorder, url: str) -> None:
    recorder.current = url
    response = page.goto(url, wait_until="load")
    # file: navigations have no response; over HTTP, a page must be a 200
    assert response is None or response.ok, f"{url}: HTTP {response.status}"


def run_axe(page) -> list[dict]:
    """axe-core's violations on the page as it is now (injected from node_modules)."""
    settle(page)
    # Register axe with context.add_init_script(path=AXE_JS) before the visit:
    # the site's Content-Security-Policy refuses a <script> injected later
    assert page.evaluate("() => typeof window.axe !== 'undefined'"), (
        "axe-core is not on the page: call context.add_init_script(path=str(AXE_JS)) before goto()"
    )
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return result["violations"]


def settle(page) -> None:
    """Wait until no CSS transition or animation is running (e.g. Material fading
    its tabs in), so that colours are measured as they end up."""
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')", timeout=5_000)


def describe_violations(violations: list[dict]) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:4]}" for v in violations]


def scheme(page) -> str:
    return page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")


def toggle_palette(page) -> str:
    """Click the header's light/dark toggle (the visible one), wait until the
    scheme has changed; returns the new scheme."""
    before = scheme(page)
    page.locator("form[data-md-component=palette] label:visible").click()
    # Material turns transitions off while it switches, then removes this attribute
    page.wait_for_function(
        """before => document.body.getAttribute('data-md-color-scheme') !== before &&
                     !document.body.hasAttribute('data-md-color-switching')""",
        arg=before,
    )
    return scheme(page)


def search(page, query: str, timeout: float = 15_000) -> list[str]:
    """Type query into Material's search box as a reader does (it reads keyup,
    so press_sequentially, not fill) and return the result pages' URLs, best first."""
    box = page.locator("input.md-search__input")
    if not box.is_visible():
        page.locator("label.md-header__button[for=__search]").click()
    box.click()
    box.press_sequentially(query, delay=20)
    wanted = " ".join(query.split())
    # Result links carry ?h=<query> (search.highlight): wait for this query's results
    page.wait_for_function(
        """wanted => [...document.querySelectorAll('.md-search-result__item a')]
            .some(a => (new URL(a.href).searchParams.get('h') || '').toLowerCase() === wanted)""",
        arg=wanted.lower(),
        timeout=timeout,
    )
    hrefs = page.eval_on_selector_all(".md-search-result__item > a:first-child", "els => els.map(e => e.href)")
    return [h.split("?")[0].split("#")[0] for h in hrefs]


def page_urls(site: Path, base_url: str, *, directory_urls: bool) -> list[str]:
    """URL of every built page, as a reader's browser asks for it."""
    urls = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if directory_urls and (rel == "index.html" or rel.endswith("/index.html")):
            rel = rel.removesuffix("index.html")
        urls.append(base_url + rel)
    return urls


def emergency_line(page) -> dict:
    """Where the announce bar's emergency line is and where its link goes, in one round trip."""
    return page.evaluate("""() => {
        const line = document.getElementById('emergency-line');
        if (!line) return {visible: false, top: -1, bottom: -1, href: null};
        const box = line.getBoundingClientRect(), link = line.querySelector('a.emergency-line__flags');
        return {visible: line.checkVisibility({visibilityProperty: true, opacityProperty: true}),
                top: box.top, bottom: box.bottom, href: link ? link.href : null};
    }""")


def storage(page) -> dict[str, list[str]]:
    return page.evaluate("() => ({local: Object.keys(localStorage), session: Object.keys(sessionStorage)})")


# What a reader must see on every page (issue #15): judged by the browser -------

# Runs in the page: is the disclaimer (the admonition whose text, spaces aside,
# is the canonical one) visible near the top, readable, and not covered; is
# there a visible link to the red-flags page outside the announce bar; and on
# technique pages, are the required ## sections shown, not collapsed
VISIBILITY_JS = r"""([disclaimer, sectionPatterns, viewportHeight]) => {
  const squash = t => (t || '').replace(/\s+/g, '');
  const rgba = c => { const m = c.match(/[\d.]+/g) || [0, 0, 0, 0]; return m.map(Number).concat(m.length < 4 ? [1] : []); };
  const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                               return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = el => {
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const c = rgba(getComputedStyle(node).backgroundColor);
      if (c[3] > 0.5) return c;
    }
    return rgba(getComputedStyle(document.body).backgroundColor)[3] > 0 ? rgba(getComputedStyle(document.body).backgroundColor) : [255, 255, 255, 1];
  };
  const contrast = el => {
    const fg = rgba(getComputedStyle(el).color), bg = background(el);
    const mix = fg.slice(0, 3).map((v, i) => v * fg[3] + bg[i] * (1 - fg[3]));
    const [a, b] = [lum(mix), lum(bg)].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
  };
  const shown = el => {
    const why = [];
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true})) why.push('hidden');
    if (el.closest('details:not([open])')) why.push('collapsed');
    const box = el.getBoundingClientRect();
    if (box.width < 4 || box.height < 4) why.push(`size ${Math.round(box.width)}x${Math.round(box.height)}`);
    if (box.right + scrollX <= 0 || box.left >= document.documentElement.clientWidth || box.bottom + scrollY <= 0) why.push('off screen');
    const size = Math.min(...[el, ...el.querySelectorAll('p, a, li, strong')].map(n => parseFloat(getComputedStyle(n).fontSize)));
    if (size < 10) why.push(`font ${size}px`);
    // Clipped away by an ancestor (Material's md-visually-hidden: 1 px, overflow hidden, clip)
    for (let node = el; node && node !== document.body; node = node.parentElement) {
      const style = getComputedStyle(node), r = node.getBoundingClientRect();
      if ((style.clip && style.clip !== 'auto') || (style.clipPath && style.clipPath !== 'none')) { why.push('clipped'); break; }
      if (style.overflow !== 'visible' && (r.width < 4 || r.height < 4)) { why.push('clipped by a tiny box'); break; }
    }
    // Covered: probe each line box (getClientRects: one per line of a
    // wrapped link), not the centre of the bounding box, which for a link
    // that wraps onto two lines falls on the paragraph around it
    if (!why.length) {
      el.scrollIntoView({block: 'center'});
      const count = el.getClientRects().length;
      for (let i = 0; i < count; i++) {
        let line = el.getClientRects()[i];
        if (line.width < 1 || line.height < 1) continue;
        if (line.top < 0 || line.bottom > innerHeight) { window.scrollBy(0, line.top - innerHeight / 2); line = el.getClientRects()[i]; }
        const hit = document.elementFromPoint(line.left + Math.min(line.width / 2, 20), line.top + Math.min(line.height / 2, 10));
        if (!hit || !(el === hit || el.contains(hit))) {
          why.push(`line ${i + 1} covered by ` + (hit ? hit.tagName.toLowerCase() + '.' + hit.className : 'nothing'));
          break;
        }
      }
      window.scrollTo(0, 0);
    }
    return why;
  };
  const article = document.querySelector('article') || document.body;
  const report = {disclaimer: [], redFlags: [], sections: [], disclaimerTop: null};
  // The box's text without glossary definitions (popovers, hidden until opened), as the lint reads it
  const textOf = el => { const copy = el.cloneNode(true); copy.querySelectorAll('[popover]').forEach(p => p.remove()); return copy.textContent; };
  const box = [...article.querySelectorAll('.admonition')].find(b => squash(textOf(b)) === squash(disclaimer));
  if (!box) report.disclaimer.push('no disclaimer on the page');
  else {
    report.disclaimer.push(...shown(box));
    // On the red flags page the emergency card comes first, straight under
    // the title, and the disclaimer right after it: there the card's top counts
    const block = box.closest('div.disclaimer') || box;
    // (the card's collapsed note about the signs sits between them)
    let card = block.previousElementSibling;
    if (card && card.matches('details.emergency-notes')) card = card.previousElementSibling;
    const lead = card && card.matches('.admonition.emergency') && card.previousElementSibling
      && card.previousElementSibling.tagName === 'H1' ? card : box;
    report.disclaimerTop = lead.getBoundingClientRect().top + scrollY;
    if (report.disclaimerTop > viewportHeight) report.disclaimer.push(`starts ${Math.round(report.disclaimerTop)} px down, below the first screen`);
    for (const text of box.querySelectorAll('p, a')) {
      const ratio = contrast(text);
      if (ratio < 4.5) { report.disclaimer.push(`contrast ${ratio.toFixed(2)} of <${text.tagName.toLowerCase()}>`); break; }
    }
  }
  const links = [...article.querySelectorAll('a[href]')].filter(a => /(^|\/)red-flags(\/|\.html)?(#.*)?$/.test(a.getAttribute('href')));
  const visible = links.filter(a => shown(a).length === 0 && contrast(a) >= 4.5);
  // The red-flags page itself links to itself as ./
  const onRedFlags = /\/red-flags(\/|\.html)$/.test(location.pathname);
  if (!visible.length && !onRedFlags) report.redFlags.push(links.length ? 'every red-flags link is hidden: ' + shown(links[0]).join(', ') : 'no red-flags link');
  for (const pattern of sectionPatterns) {
    const re = new RegExp(pattern, 'i');
    const heading = [...article.querySelectorAll('h2')].find(h => re.test(h.textContent));
    if (!heading) { report.sections.push(`no ## heading matching /${pattern}/`); continue; }
    const why = shown(heading);
    const next = heading.nextElementSibling;
    if (!why.length && next && next.tagName !== 'H2' && shown(next).length) why.push('its text is hidden: ' + shown(next).join(', '));
    if (why.length) report.sections.push(`'${heading.textContent.replace('¶', '').trim()}': ${why.join(', ')}`);
  }
  return report;
}"""


def visibility(page, disclaimer: str, section_patterns: list[str]) -> dict:
    return page.evaluate(VISIBILITY_JS, [disclaimer, section_patterns, DESKTOP["viewport"]["height"]])


# One visit per page: console, requests, emergency line, palette, axe ------------


@dataclass
class PageReport:
    url: str
    visibility: dict = field(default_factory=dict)
    emergency_visible: bool = False
    emergency_href: str | None = None
    axe: dict[str, list[str]] = field(default_factory=dict)  # scheme -> violations


@dataclass
class Sweep:
    base_url: str
    pages: list[PageReport]
    recorder: Recorder
    local_storage: list[str]
    session_storage: list[str]
    cookies: list[dict]


def sweep(
    browser,
    base_url: str,
    urls: list[str],
    *,
    axe: bool,
    disclaimer: str | None = None,
    sections: Callable[[str], list[str]] | None = None,
) -> Sweep:
    """Visit every url once in one fresh desktop context, as a reader would:
    check the emergency line, (with disclaimer) what a reader must see, switch the palette with the header toggle (so it
    is stored, and the next page opens in the other scheme), and with axe run
    axe-core before and after the switch, i.e. in both schemes."""
    context, recorder = new_context(browser, base_url, **DESKTOP)
    if axe:
        # Registered once per context: cheaper than sending axe to every page
        context.add_init_script(path=str(AXE_JS))
    page = context.new_page()
    reports = []
    try:
        for url in urls:
            goto(page, recorder, url)
            report = PageReport(url)
            line = emergency_line(page)
            report.emergency_visible = (
                line["visible"] and 0 <= line["top"] and line["bottom"] <= DESKTOP["viewport"]["height"]
            )
            report.emergency_href = line["href"]
            if disclaimer is not None:
                report.visibility = visibility(page, disclaimer, sections(url) if sections else [])
            if axe:
                report.axe[scheme(page)] = describe_violations(run_axe(page))
            toggle_palette(page)
            if axe:
                report.axe[scheme(page)] = describe_violations(run_axe(page))
            reports.append(report)
        # Requests a page makes late (e.g. the search worker's) are recorded
        # against the next page; the last page gets time to make them
        page.wait_for_load_state("networkidle")
        kept = storage(page)
        return Sweep(base_url, reports, recorder, kept["local"], kept["session"], context.cookies())
    finally:
        context.close()
