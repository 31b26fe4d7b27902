"""Shared fixtures: one real strict build of the hosted site and one real
offline bundle per test session, built into temporary folders."""

from __future__ import annotations

import os
import shutil
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


# The tiers (issue #23): `make test-fast` runs what needs no build and no
# browser; a test that builds (a fixture below, or a copy of the project) is
# marked `build`, one that drives Chromium `browser`. Marks come from the
# fixtures a test uses, so a new test lands in the right tier by itself; a
# test that builds by other means says @pytest.mark.build, and the fast tier
# fails it if it forgets (site_helpers.copy_project and the fixtures refuse).
BUILD_FIXTURES = {"built_site", "offline_bundle", "hosted_url", "offline_url"}
BROWSER_FIXTURES = {"browser"}
FAST_ONLY = os.environ.get("TEST_TIER") == "fast"


def pytest_collection_modifyitems(config, items):
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if names & (BUILD_FIXTURES | BROWSER_FIXTURES):
            item.add_marker(pytest.mark.build)


def refuse_in_fast_tier(what: str) -> None:
    if FAST_ONLY:
        pytest.fail(f"{what} in the fast tier: mark the test @pytest.mark.build", pytrace=False)


def shared_once(tmp_path_factory, name: str, make) -> Path:
    """Make an output once per test session, not once per xdist worker: the
    first worker to get here builds into a folder all workers share, the
    others wait for it and reuse it (a failure is kept and repeated, not
    built again)."""
    import fcntl

    base = tmp_path_factory.getbasetemp()
    # Under xdist each worker's basetemp is <session temp>/popen-gwN
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    target, failed = shared / name, shared / f"{name}.failed"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if failed.exists():
            pytest.fail(failed.read_text(encoding="utf-8"), pytrace=False)
        if not target.exists():
            work = shared / f"{name}.partial"
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir()
            error = make(work)
            if error:
                failed.write_text(error, encoding="utf-8")
                pytest.fail(error, pytrace=False)
            work.rename(target)
    return target


def build_hosted(out: Path) -> str | None:
    env = {k: v for k, v in BUILD_ENV.items() if k != "OFFLINE"}
    # The same fail-closed build as `make site`: strict build, CSP, output gate
    result = subprocess.run(
        [sys.executable, "scripts/build_site.py", "--site-dir", str(out / "site")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    return None if result.returncode == 0 else f"strict build failed:\n{result.stderr}"


def build_offline(out: Path) -> str | None:
    result = subprocess.run(
        [sys.executable, "scripts/build_offline.py", "--dist", str(out / "dist")],
        cwd=ROOT,
        env=BUILD_ENV,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        return f"offline build failed:\n{result.stdout}\n{result.stderr}"
    return unzip_bundle(out / "dist", out / "unzipped")


def unzip_bundle(dist: Path, unzipped: Path) -> None:
    (zip_path,) = dist.glob("*.zip")
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(unzipped)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The hosted site, built as `make site` builds it (strict, CSP, output gate),
    once per test session. TEST_SITE=<folder> checks that build instead (CI's
    tests job checks what its build job made and gated)."""
    refuse_in_fast_tier("a build of the site")
    if os.environ.get("TEST_SITE"):
        return Path(os.environ["TEST_SITE"]).resolve()
    return shared_once(tmp_path_factory, "hosted", build_hosted) / "site"


@pytest.fixture(scope="session")
def offline_bundle(tmp_path_factory) -> tuple[Path, Path]:
    """(zip file, folder it was unzipped into) from scripts/build_offline.py,
    once per test session; TEST_OFFLINE_ZIP_DIR=<folder with the zip> checks
    that bundle instead."""
    refuse_in_fast_tier("a build of the offline bundle")
    if os.environ.get("TEST_OFFLINE_ZIP_DIR"):
        dist = Path(os.environ["TEST_OFFLINE_ZIP_DIR"]).resolve()
        out = shared_once(tmp_path_factory, "offline-given", lambda work: unzip_bundle(dist, work / "unzipped"))
    else:
        out = shared_once(tmp_path_factory, "offline", build_offline)
        dist = out / "dist"
    (zip_path,) = dist.glob("*.zip")
    (root,) = (out / "unzipped").iterdir()
    return zip_path, root


# Browser checks (issue #7): one Chromium and one local server per session --------


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from site_helpers import CHROMIUM, require

    refuse_in_fast_tier("a browser")
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
