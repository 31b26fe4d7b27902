"""LinkChecker (the real tool, AnchorCheck on, from ./linkcheckerrc) over the
hosted build served on 127.0.0.1 and over the offline bundle from file://:
0 errors and 0 warnings. And it must catch a broken anchor."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT, nav_pages
from site_helpers import build, check_links, copy_project


@pytest.fixture(scope="module")
def linkcheck_run(built_site, offline_bundle, tmp_path_factory):
    """`scripts/check_links.py --site … --offline …`, the command behind `make linkcheck`."""
    reports = tmp_path_factory.mktemp("linkcheck-reports")
    zip_path, _ = offline_bundle
    result = subprocess.run(
        [
            sys.executable,
            "scripts/check_links.py",
            "--site",
            str(built_site),
            "--offline",
            str(zip_path),
            "--report-dir",
            str(reports),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return result, reports


def test_linkchecker_finds_no_broken_link_or_anchor(linkcheck_run):
    result, _ = linkcheck_run
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("hosted", "offline"):
        assert f"linkcheck {name}: " in result.stdout and "0 errors, 0 warnings: ok" in result.stdout


@pytest.mark.parametrize("name", ["hosted", "offline"])
def test_linkchecker_crawled_every_page(linkcheck_run, name):
    """A pass must not come from a crawl that stopped early (e.g. unreadable files)."""
    result, reports = linkcheck_run
    line = next(ln for ln in result.stdout.splitlines() if ln.startswith(f"linkcheck {name}:"))
    checked = int(line.split(":")[1].split()[0])
    assert checked > 2 * len(nav_pages()), line
    # The report was written although LinkChecker may have run as `nobody`
    assert (reports / f"{name}.csv").read_text(encoding="utf-8").startswith("#")


@pytest.mark.build
def test_linkchecker_fails_on_a_broken_anchor(tmp_path):
    """Built non-strict (MkDocs' own anchor check would stop it otherwise)."""
    work = copy_project(tmp_path / "repo")
    page = work / "docs/index.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\n\nSee [the red flags](safety/red-flags.md#no-such-section).\n",
        encoding="utf-8",
    )
    site = build(work, tmp_path / "site", strict=False)
    # Only the faulty page and what it links to: the full crawl is tested above
    result = check_links.check_hosted(site, start="", depth=1, config_file=work / "mkdocs.yml")
    assert not result.ok
    assert result.errors == 0 and result.warnings == 1, result.output
    (problem,) = result.problems
    assert problem["url"].endswith("red-flags/#no-such-section")
    assert "Anchor `no-such-section' (decoded: `no-such-section') not found" in problem["warningstring"]
