"""pa11y with HTML_CodeSniffer (WCAG 2 AA), the second accessibility engine
beside axe-core, over every hosted page in Debian Chromium: 0 errors.

Findings that are provably not faults are filtered in scripts/audit.py
(FILTERS, each with its reason), matched on the element's markup; the same
run checks a copy of the home page with two faults pa11y must report.
"""

from __future__ import annotations

import shutil
import sys
from collections import Counter

import pytest

from browser_helpers import page_urls
from conftest import ROOT
from site_helpers import CHROMIUM, check_links, require

sys.path.insert(0, str(ROOT / "scripts"))
import audit

pytestmark = pytest.mark.browser

# An image without a text alternative and a form field without a label
FAULTS = '<img src="x.svg" width="10" height="10"><input type="text" id="pa11y-fault">'


@pytest.fixture(scope="module")
def pa11y_results(built_site, tmp_path_factory):
    require(CHROMIUM.is_file(), f"{CHROMIUM} not found: `apt-get install chromium` to run pa11y")
    require((ROOT / "node_modules/pa11y").is_dir(), "node_modules/pa11y missing: run `npm ci`")
    site = tmp_path_factory.mktemp("pa11y") / "site"
    shutil.copytree(built_site, site)
    faulty = site / "pa11y-fault"
    faulty.mkdir()
    html = (site / "index.html").read_text(encoding="utf-8")
    (faulty / "index.html").write_text(html.replace("</article>", FAULTS + "</article>", 1), encoding="utf-8")
    with check_links.serve(site, check_links.site_prefix()) as base:
        urls = [u for u in page_urls(site, base, directory_urls=True) if not u.endswith("404.html")]
        results = audit.pa11y(urls)
    return base, {url.removeprefix(base): result for url, result in results.items()}


def test_every_page_has_no_pa11y_errors(pa11y_results):
    _, results = pa11y_results
    pages = {url: r for url, r in results.items() if not url.startswith("pa11y-fault")}
    assert len(pages) >= 30
    errors = {
        url or "/": [f"{i['code']} at {i['selector']}: {i['message'][:100]}" for i in r["errors"]]
        for url, r in pages.items()
        if r["errors"]
    }
    assert errors == {}


def test_filters_only_hide_the_two_theme_forms(pa11y_results):
    _, results = pa11y_results
    hidden = Counter(
        i["reason"] for url, r in results.items() if not url.startswith("pa11y-fault") for i in r["filtered"]
    )
    pages = len(results) - 1
    assert set(hidden) <= {reason for _, _, reason in audit.FILTERS}
    assert all(count <= pages for count in hidden.values()), hidden


def test_pa11y_reports_real_faults(pa11y_results):
    _, results = pa11y_results
    codes = {i["code"] for i in results["pa11y-fault/"]["errors"]}
    assert any(".H37" in code for code in codes), codes  # img without alt
    assert any("F68" in code or "H44" in code or "4_1_2" in code for code in codes), codes  # unlabelled field
