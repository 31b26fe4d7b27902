"""Shared fixtures: one real strict build of the hosted site and one real
offline bundle per test session, built into temporary folders."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from mkdocs.config import load_config

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from build_offline import source_date_epoch  # noqa: E402

# Dates in the build come from the last commit (as `make` sets them), so runs
# of pytest on their own build the same bytes as `make test`
BUILD_ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=str(source_date_epoch()))


def nav_pages() -> list[str]:
    """Every page in mkdocs.yml's nav, as docs-relative source paths."""
    config = load_config(str(ROOT / "mkdocs.yml"))

    def walk(items):
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            if isinstance(value, list):
                yield from walk(value)
            else:
                yield value

    return list(walk(config["nav"]))


def built_path(src: str, directory_urls: bool) -> str:
    """Where MkDocs writes the page built from docs/<src>."""
    stem = src.removesuffix(".md")
    if not directory_urls:
        return f"{stem}.html"
    if stem == "index" or stem.endswith("/index"):
        return f"{stem}.html"
    return f"{stem}/index.html"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The hosted site, built as `make site` builds it (strict, CSP, output gate)."""
    site = tmp_path_factory.mktemp("hosted") / "site"
    env = {k: v for k, v in BUILD_ENV.items() if k != "OFFLINE"}
    # The same fail-closed build as `make site`: strict build, CSP, output gate
    result = subprocess.run(
        [sys.executable, "scripts/build_site.py", "--site-dir", str(site)],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, f"strict build failed:\n{result.stderr}"
    return site


@pytest.fixture(scope="session")
def offline_bundle(tmp_path_factory) -> tuple[Path, Path]:
    """(zip file, folder it was unzipped into) from scripts/build_offline.py."""
    dist = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "scripts/build_offline.py", "--dist", str(dist)],
        cwd=ROOT, env=BUILD_ENV, capture_output=True, text=True,
    )
    assert result.returncode == 0, f"offline build failed:\n{result.stdout}\n{result.stderr}"
    (zip_path,) = dist.glob("*.zip")
    unzipped = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(unzipped)
    (root,) = unzipped.iterdir()
    return zip_path, root


# Browser checks (issue #7): one Chromium and one local server per session --------

@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from site_helpers import CHROMIUM, require

    require(CHROMIUM.is_file(), f"{CHROMIUM} not found: `apt-get install chromium` to run the browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Python Playwright is not installed (requirements.txt)")
    with sync_playwright() as playwright:
        from browser_helpers import launch

        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def hosted_url(built_site):
    """The hosted build served on 127.0.0.1 under site_url's path, as on GitHub Pages."""
    from site_helpers import check_links

    with check_links.serve(built_site, check_links.site_prefix()) as base:
        yield base


@pytest.fixture(scope="session")
def offline_url(offline_bundle):
    """The unzipped offline bundle's folder as a file: URL ending in "/"."""
    _, root = offline_bundle
    return root.as_uri() + "/"
