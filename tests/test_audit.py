"""scripts/audit.py (make audit) without running Lighthouse: its local server
sends what a static host sends (gzip), its filters each carry a reason, and
it says clearly when it cannot run."""

from __future__ import annotations

import gzip
import subprocess
import sys
import urllib.request

from conftest import ROOT
from site_helpers import check_links

sys.path.insert(0, str(ROOT / "scripts"))
import audit


def test_server_sends_pages_and_assets_gzipped(built_site):
    with audit.serve_gzip(built_site, check_links.site_prefix()) as base:
        for path, file in (
            ("", "index.html"),
            ("techniques/cupping/", "techniques/cupping/index.html"),
            ("assets/stylesheets/extra.css", "assets/stylesheets/extra.css"),
        ):
            request = urllib.request.Request(base + path, headers={"Accept-Encoding": "gzip"})
            with urllib.request.urlopen(request) as response:
                assert response.headers["Content-Encoding"] == "gzip", path
                body = gzip.decompress(response.read())
            assert body == (built_site / file).read_bytes(), path
        # Without Accept-Encoding: plain bytes, as before
        with urllib.request.urlopen(base) as response:
            assert response.headers.get("Content-Encoding") is None
            assert response.read() == (built_site / "index.html").read_bytes()


def test_every_filter_has_a_reason():
    assert audit.FILTERS
    for code, markup, reason in audit.FILTERS:
        assert code.startswith("WCAG2AA.") and markup.pattern.startswith("^<") and len(reason) > 30


def test_filter_matches_only_the_theme_forms():
    code = "WCAG2AA.Principle3.Guideline3_2.3_2_2.H32.2"
    assert audit.filtered({"code": code, "context": '<form class="md-search__form" name="search">'})
    assert not audit.filtered({"code": code, "context": '<form class="diary">'})
    assert not audit.filtered({"code": "WCAG2AA.Other", "context": '<form class="md-search__form" name="search">'})


def test_audit_without_a_site_exits_2_with_a_message(tmp_path):
    proc = subprocess.run(
        [sys.executable, "scripts/audit.py", "--site", str(tmp_path / "nothing")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "index.html not found: run `make site` first" in proc.stderr
    assert "Traceback" not in proc.stderr
