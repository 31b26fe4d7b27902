"""Reproducible builds (issue #8): two builds of the same commit give the same bytes.

The session fixtures (`built_site`, `offline_bundle`) are the first build of
each output; this module builds each once more, into its own temporary folder
and with a different Python hash seed (so set or dict ordering that leaks into
the output shows up), then compares every file byte for byte.

Dates in the output come from SOURCE_DATE_EPOCH (the Makefile sets it from the
last commit; MkDocs reads it for sitemap dates and the sitemap.xml.gz header,
scripts/build_offline.py for the zip entries' timestamps).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import BUILD_ENV, ROOT

SOURCES = ("docs", "overrides", "mkdocs.yml", "scripts")


def second_build_env() -> dict[str, str]:
    env = {k: v for k, v in BUILD_ENV.items() if k != "OFFLINE"}
    env["PYTHONHASHSEED"] = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    return env


def files_of(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sources_edited_since(moment: float) -> list[str]:
    """Source files changed after `moment`: on a shared working tree, someone
    editing a page mid-run is not a reproducibility bug."""
    changed = []
    for name in SOURCES:
        path = ROOT / name
        for p in [path] if path.is_file() else path.rglob("*"):
            if p.is_file() and "__pycache__" not in p.parts and p.stat().st_mtime > moment:
                changed.append(p.relative_to(ROOT).as_posix())
    return changed


def fail_or_skip(message: str, first_built: float) -> None:
    edited = sources_edited_since(first_built - 1)
    if edited:
        pytest.skip(f"sources were edited during the run ({', '.join(edited[:3])}): {message}")
    pytest.fail(message)


@pytest.fixture(scope="module")
def second_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("hosted-again") / "site"
    result = subprocess.run(
        # Built as the first one is (conftest.built_site): strict build, CSP, output gate
        [sys.executable, "scripts/build_site.py", "--site-dir", str(site)],
        cwd=ROOT,
        env=second_build_env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"second strict build failed:\n{result.stderr}"
    return site


@pytest.fixture(scope="module")
def second_zip(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist-again")
    result = subprocess.run(
        [sys.executable, "scripts/build_offline.py", "--dist", str(dist)],
        cwd=ROOT,
        env=second_build_env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"second offline build failed:\n{result.stdout}\n{result.stderr}"
    (zip_path,) = dist.glob("*.zip")
    return zip_path


def test_two_hosted_builds_are_byte_identical(built_site, second_site):
    first, second = files_of(built_site), files_of(second_site)
    assert len(first) > 50, "the first build looks empty"
    only = sorted(set(first) ^ set(second))
    differ = [name for name in sorted(set(first) & set(second)) if digest(first[name]) != digest(second[name])]
    if only or differ:
        oldest = min(p.stat().st_mtime for p in first.values())
        fail_or_skip(f"files in one build only: {only[:10]}; files that differ: {differ[:10]}", oldest)


def test_two_offline_zips_are_byte_identical(offline_bundle, second_zip):
    first_zip, _ = offline_bundle
    assert first_zip.name == second_zip.name
    if first_zip.read_bytes() != second_zip.read_bytes():
        with zipfile.ZipFile(first_zip) as a, zipfile.ZipFile(second_zip) as b:
            names = sorted(set(a.namelist()) | set(b.namelist()))
            differ = [
                n
                for n in names
                if n not in a.namelist()
                or n not in b.namelist()
                or a.read(n) != b.read(n)
                or a.getinfo(n).date_time != b.getinfo(n).date_time
            ]
        fail_or_skip(f"the zips differ; entries: {differ[:10] or 'metadata only'}", first_zip.stat().st_mtime)


def test_two_print_editions_are_byte_identical(offline_bundle, second_zip):
    """The PDF (scripts/build_pdf.py) in both bundles: metadata dates from
    SOURCE_DATE_EPOCH, a fixed file identifier, fonts from fixed files."""
    first_zip, _ = offline_bundle
    with zipfile.ZipFile(first_zip) as a, zipfile.ZipFile(second_zip) as b:
        pdfs = [n for n in a.namelist() if n.endswith(".pdf")]
        assert len(pdfs) == 1, f"expected one PDF in the bundle: {pdfs}"
        if a.read(pdfs[0]) != b.read(pdfs[0]):
            fail_or_skip(f"{pdfs[0]} differs between two builds", first_zip.stat().st_mtime)


def test_zip_entries_are_sorted_with_one_timestamp(offline_bundle):
    zip_path, _ = offline_bundle
    with zipfile.ZipFile(zip_path) as zf:
        infos = zf.infolist()
    names = [info.filename for info in infos]
    assert names == sorted(names)
    assert len({info.date_time for info in infos}) == 1
    epoch = BUILD_ENV.get("SOURCE_DATE_EPOCH")
    if epoch:
        # Zip (DOS) times have a 2-second resolution
        expected = time.gmtime(max(int(epoch), 315532800))[:6]
        assert infos[0].date_time == (*expected[:5], expected[5] // 2 * 2)


def test_sitemap_gzip_header_has_no_build_time(built_site):
    """gzip stores a timestamp in its header: MkDocs takes it from the pages'
    build date (midnight UTC of SOURCE_DATE_EPOCH's day), never the clock."""
    raw = (built_site / "sitemap.xml.gz").read_bytes()
    mtime = int.from_bytes(raw[4:8], "little")
    assert mtime % 86400 == 0, f"gzip mtime {mtime} is a clock time, not a date"
    epoch = BUILD_ENV.get("SOURCE_DATE_EPOCH")
    if epoch:
        assert mtime == int(epoch) - int(epoch) % 86400
    assert gzip.decompress(raw) == (built_site / "sitemap.xml").read_bytes()
