"""The Content-Security-Policy in real Chromium (issue #15): in a copy of the
project with a remote image and an inline script planted and the output gate
switched off (the CSP step alone, scripts/outputgate/csp.py), Chromium
blocks both, hosted over 127.0.0.1 and from file:// in the offline bundle,
while search and the palette toggle still work and no page reports a
violation of its own. Without the CSP the same copy does make the request:
the test can fail."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from browser_helpers import DESKTOP, goto, new_context, search, toggle_palette
from conftest import BUILD_ENV, ROOT
from site_helpers import build, check_links, copy_project

sys.path.insert(0, str(ROOT / "scripts"))
from outputgate import csp

pytestmark = pytest.mark.browser

TRACKER = "https://tracker.example/pixel.gif"
PLANT = f'\n<img src="{TRACKER}" alt="">\n\n<script>window.__planted = true;</script>\n'
LISTEN = """window.__violations = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__violations.push({blocked: e.blockedURI, directive: e.effectiveDirective}));"""


@pytest.fixture(scope="module")
def planted_project(tmp_path_factory):
    work = copy_project(tmp_path_factory.mktemp("csp") / "repo")
    page = work / "docs/about/index.md"
    page.write_text(page.read_text() + PLANT)
    return work


@pytest.fixture(scope="module")
def hosted_sites(planted_project, tmp_path_factory):
    """(with CSP, without CSP): non-strict builds (the lint hook would refuse the script), no gate."""
    out = tmp_path_factory.mktemp("csp-hosted")
    bare = build(planted_project, out / "bare", strict=False)
    shutil.copytree(bare, out / "csp")
    csp.add_csp(out / "csp")
    return out / "csp", bare


@pytest.fixture(scope="module")
def offline_site(planted_project, tmp_path_factory):
    """The offline build of the planted copy (Material's offline plugin and the
    local shim, as in the bundle), with the CSP step and without the gate."""
    site = tmp_path_factory.mktemp("csp-offline") / "site"
    env = dict(BUILD_ENV, OFFLINE="true")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--no-strict", "--site-dir", str(site)],
        cwd=planted_project,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    csp.add_csp(site)
    return site


def visit(browser, base, urls, *, use_search=True):
    context, recorder = new_context(browser, base, **DESKTOP)
    context.add_init_script(LISTEN)
    # A request that reaches the network layer meets this route (and is
    # aborted); one that CSP blocks never does, whatever Playwright's
    # request events say (they also report CSP-blocked requests)
    recorder.reached = []
    context.route(TRACKER, lambda route: (recorder.reached.append(route.request.url), route.abort()))
    page = context.new_page()
    seen = {}
    try:
        for url in urls:
            goto(page, recorder, url)
            page.wait_for_timeout(200)  # let late violations arrive
            seen[url] = {
                "violations": page.evaluate("() => window.__violations"),
                "planted_ran": page.evaluate("() => window.__planted === true"),
            }
        scheme = toggle_palette(page)
        found = search(page, "piriformis") if use_search else []
        return seen, recorder, found, scheme
    finally:
        context.close()


def _tracker_requested(recorder) -> bool:
    return TRACKER in recorder.reached


def test_without_the_csp_the_planted_image_is_requested_and_the_script_runs(browser, hosted_sites):
    _, bare = hosted_sites
    with check_links.serve(bare, check_links.site_prefix()) as base:
        seen, recorder, _, _ = visit(browser, base, [base + "about/"], use_search=False)
    assert _tracker_requested(recorder)
    assert seen[base + "about/"]["planted_ran"]


def test_hosted_csp_blocks_the_planted_image_and_script_and_the_site_still_works(browser, hosted_sites):
    with_csp, _ = hosted_sites
    with check_links.serve(with_csp, check_links.site_prefix()) as base:
        urls = [base, base + "about/", base + "techniques/cupping/"]
        seen, recorder, found, scheme = visit(browser, base, urls)
    about = seen[base + "about/"]
    assert not _tracker_requested(recorder)
    assert {"blocked": TRACKER, "directive": "img-src"} in about["violations"]
    assert any(v["directive"].startswith("script-src") and v["blocked"] == "inline" for v in about["violations"]), (
        about["violations"]
    )
    assert not about["planted_ran"]
    # The theme's own pages raise no violation: the per-page hashes match
    assert seen[base]["violations"] == [] and seen[base + "techniques/cupping/"]["violations"] == []
    assert base + "causes/piriformis-syndrome/" in found
    assert scheme in ("default", "slate")
    assert recorder.console_errors == [] or all("Content Security Policy" in e for _, e in recorder.console_errors)


def test_offline_csp_blocks_them_from_file_urls_and_search_still_works(browser, offline_site):
    base = offline_site.as_uri() + "/"
    urls = [base + "index.html", base + "about/index.html", base + "causes/what-is-sciatica.html"]
    seen, recorder, found, scheme = visit(browser, base, urls)
    about = seen[base + "about/index.html"]
    assert not _tracker_requested(recorder)
    assert any(v["blocked"] == TRACKER for v in about["violations"]), about
    assert not about["planted_ran"]
    assert seen[base + "index.html"]["violations"] == []
    assert seen[base + "causes/what-is-sciatica.html"]["violations"] == []
    # Search from file:// runs in the shim's iframe, whose inline script is allowed by its hash
    assert base + "causes/piriformis-syndrome.html" in found
    assert scheme in ("default", "slate")
    assert recorder.console_errors == [] or all("Content Security Policy" in e for _, e in recorder.console_errors)


def test_every_published_page_carries_the_policy(built_site, offline_bundle):
    _, root = offline_bundle
    for folder in (built_site, root):
        pages = list(folder.rglob("*.html"))
        assert pages
        missing = [p for p in pages if 'http-equiv="Content-Security-Policy"' not in p.read_text(encoding="utf-8")]
        assert missing == []
