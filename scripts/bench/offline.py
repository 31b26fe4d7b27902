"""4. The offline bundle: zip size with and without the theme files the site
never loads (scripts/build_offline.py's EXCLUDE), and its search index.

One offline build (the same function `make offline` uses), zipped twice; the
bundle as shipped is unzipped for the file:// search check that follows."""

from __future__ import annotations

import sys
import time
import zipfile
from pathlib import Path

from .common import ROOT, kb

sys.path.insert(0, str(ROOT / "scripts"))
import build_offline

TARGET_KB = 1024


def measure(tmp: Path) -> tuple[dict, Path]:
    """(figures, folder holding the unzipped bundle as shipped)."""
    site = tmp / "offline-site"
    epoch = build_offline.source_date_epoch()
    start = time.perf_counter()
    build_offline.build_site(site, epoch)
    build_s = time.perf_counter() - start

    before, after = tmp / "bundle-before.zip", tmp / "bundle-after.zip"
    build_offline.write_zip(site, before, "bundle", epoch, exclude=())
    build_offline.write_zip(site, after, "bundle", epoch)
    with zipfile.ZipFile(before) as zf:
        all_entries = zf.infolist()
    with zipfile.ZipFile(after) as zf:
        shipped = {info.filename: info for info in zf.infolist()}
        unzipped = tmp / "offline-unzipped"
        zf.extractall(unzipped)
    index = shipped.get("bundle/search/search_index.js")
    return {
        "target_kb": TARGET_KB,
        "build_s": round(build_s, 2),
        "zip_kb_before": kb(before.stat().st_size),
        "zip_kb": kb(after.stat().st_size),
        "files_before": len(all_entries),
        "files": len(shipped),
        "left_out_kb_uncompressed": kb(
            sum(i.file_size for i in all_entries) - sum(i.file_size for i in shipped.values())
        ),
        "search_index_kb": kb(index.file_size) if index else None,
        "search_index_zipped_kb": kb(index.compress_size) if index else None,
    }, unzipped / "bundle"
