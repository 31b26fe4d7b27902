"""Build the offline bundle: a zip of the site that works from file://.

The site is built with Material's offline plugin (OFFLINE=true) into a
temporary folder, then zipped with a fixed entry order and fixed timestamps
(from SOURCE_DATE_EPOCH, so two builds of one commit give the same bytes).
The built folder gets its Content-Security-Policy and goes through the output
gate (scripts/outputgate), and so does the zip before it is moved into place.
Temporary names are unique per process (two builds at once do not collide),
and leftovers of killed builds are removed on the next run. The zip is moved
into place only when everything succeeded, so a failed build never leaves a
half-written bundle.

The print edition (scripts/build_pdf.py) is made from the same build and put
in the bundle's top folder, and a copy beside the zip in dist/. Both are
written under temporary names and moved into place only when everything
succeeded, so a failed build never leaves a half-written bundle or PDF.

Usage: python scripts/build_offline.py [--dist dist] [--version 1.2.0]
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_site import BuildFailed, clean_stale, gate, mkdocs_build, preflight, temp_name
from check_output import check as check_output
from check_output import site_url

ROOT = Path(__file__).resolve().parents[1]
# A version becomes part of a file name: letters, digits, dots, dashes, plus, underscores
VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._+-]{0,63}$")
NAME = "massage-for-sciatica"
# Zip timestamps cannot be earlier than 1980
ZIP_EPOCH_MIN = 315532800
# Theme files this English site never loads, left out of the zip (about 40% of
# it; `make bench` reports the sizes with and without them):
# - source maps, fetched only by a browser's developer tools;
# - lunr's language support (lunr.*.min.js: stemmers for other languages, and
#   the Japanese/Thai segmenters tinyseg.js and wordcut.js): the search worker
#   loads them only when the search plugin's `lang` is not just English.
# Search from file:// still works without them (checked by `make bench`).
EXCLUDE = (
    "*.map",
    "assets/javascripts/lunr/min/lunr.*.min.js",
    "assets/javascripts/lunr/tinyseg.js",
    "assets/javascripts/lunr/wordcut.js",
)


def _git(*args: str) -> str | None:
    try:
        out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip() or None


def source_date_epoch() -> int:
    """SOURCE_DATE_EPOCH if set, else the last commit's time, else now."""
    value = os.environ.get("SOURCE_DATE_EPOCH") or _git("log", "-1", "--format=%ct")
    return int(value) if value else int(time.time())


def bundle_version(epoch: int) -> str:
    """The release tag on this commit (v1.2.0 -> 1.2.0), else the commit date."""
    tag = _git("describe", "--tags", "--exact-match")
    if tag:
        return tag.removeprefix("v")
    return time.strftime("%Y-%m-%d", time.gmtime(epoch))


def build_site(site_dir: Path, epoch: int, offline: bool = True) -> None:
    """A strict build into site_dir: the offline flavour (file:// URLs, search
    index inlined) unless offline is False (the hosted one)."""
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(epoch), NO_MKDOCS_2_WARNING="1")
    env.pop("OFFLINE", None)
    if offline:
        env["OFFLINE"] = "true"
    # Not --quiet: it hides warnings from --strict, which then passes
    try:
        preflight(ROOT / "docs")
        mkdocs_build(site_dir, env, ROOT / "docs")
    except BuildFailed as exc:
        sys.stderr.write(f"{exc}\n")
        raise SystemExit("build_offline: mkdocs build failed; no bundle written") from None


def excluded(rel: str, patterns: tuple[str, ...] = EXCLUDE) -> bool:
    """Whether a site-relative path (posix) is left out of the bundle."""
    return any(fnmatch.fnmatchcase(rel, pattern) for pattern in patterns)


def write_zip(site_dir: Path, zip_path: Path, folder: str, epoch: int, exclude: tuple[str, ...] = EXCLUDE) -> None:
    date_time = time.gmtime(max(epoch, ZIP_EPOCH_MIN))[:6]
    files = sorted(
        p for p in site_dir.rglob("*") if p.is_file() and not excluded(p.relative_to(site_dir).as_posix(), exclude)
    )
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in files:
            info = zipfile.ZipInfo(f"{folder}/{path.relative_to(site_dir).as_posix()}", date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes(), compresslevel=9)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    parser.add_argument("--version", help="version in the file name (default: git tag or commit date)")
    parser.add_argument(
        "--no-pdf",
        action="store_true",
        help="leave the print edition out (for checks that never read it; not for releases)",
    )
    args = parser.parse_args(argv)

    epoch = source_date_epoch()
    version = args.version or bundle_version(epoch)
    if not VERSION.match(version):
        print(
            f"build_offline: version {version!r} cannot be part of a file name: use letters, digits, "
            "'.', '-', '+' or '_' (e.g. 1.2.0); no bundle written",
            file=sys.stderr,
        )
        return 2
    folder = f"{NAME}-offline-{version}"
    args.dist.mkdir(parents=True, exist_ok=True)
    final = args.dist / f"{folder}.zip"
    clean_stale(args.dist, (".offline-build-", ".offline-zip-", ".offline-pdf-"))

    import build_pdf  # the print edition goes into the bundle and beside it

    work = temp_name(args.dist, ".offline-build-")
    partial = temp_name(args.dist, ".offline-zip-").with_suffix(".zip")
    pdf_partial = temp_name(args.dist, ".offline-pdf-").with_suffix(".pdf")
    pdf = None
    pages = 0
    try:
        site_dir = work / "site"
        build_site(site_dir, epoch)
        url = site_url(ROOT / "mkdocs.yml")
        try:
            gate(site_dir, ROOT / "docs", f"{folder} (offline build)", url)
        except BuildFailed as exc:
            sys.stderr.write(f"{exc}\n")
            raise SystemExit("build_offline: the output gate failed; no bundle written") from None
        # Made from the same build, and put in the bundle's top folder
        pdf = site_dir / build_pdf.pdf_name(version)
        if not args.no_pdf:
            try:
                pages = build_pdf.render(site_dir, pdf, epoch, version)
            except build_pdf.PdfError as exc:
                print(
                    f"build_offline: the print edition failed: {exc}\nbuild_offline: no bundle written", file=sys.stderr
                )
                return 1
        write_zip(site_dir, partial, folder, epoch)
        problems = check_output(partial, ROOT / "docs", url)
        if problems:
            sys.stderr.write("\n".join(p.format() for p in problems) + "\n")
            raise SystemExit("build_offline: the output gate failed on the zip; no bundle written")
        if pages:
            shutil.copyfile(pdf, pdf_partial)
        os.replace(partial, final)
        if pages:
            os.replace(pdf_partial, args.dist / pdf.name)
    finally:
        partial.unlink(missing_ok=True)
        pdf_partial.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)

    # One bundle and one PDF in dist/: older ones go only once the new ones are in place
    for old in [*args.dist.glob(f"{NAME}-offline-*.zip"), *args.dist.glob(build_pdf.pdf_name("*"))]:
        if old not in (final, args.dist / pdf.name):
            old.unlink()
    shown = [(final, "")] + ([(args.dist / pdf.name, f"{pages} pages, ")] if pages else [])
    for path, what in shown:
        print(
            f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} ({what}{path.stat().st_size / 1024:.0f} KiB)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
