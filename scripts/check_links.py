"""Check every link and anchor of the built site with LinkChecker.

Two runs, as readers meet the site: the hosted build served over HTTP on
127.0.0.1 (under the same path prefix as site_url, like GitHub Pages), and
the offline bundle opened from file://. Settings come from ./linkcheckerrc
(AnchorCheck on). Any error or warning fails: anchor problems are warnings.

LinkChecker run as root drops to user `nobody`, so the site it reads and the
folder it writes its CSV report to are made readable/writable by that user.

Usage:
  python scripts/check_links.py                    build both into temp dirs, check both
  python scripts/check_links.py --site DIR         check a built hosted site
  python scripts/check_links.py --offline ZIP|DIR  check an offline bundle
  python scripts/check_links.py --external         also check links to other sites
                                                 (once, in the hosted run; needs a network)
  --report-dir DIR                               keep the CSV reports there

Exit status: 0 clean, 1 errors or warnings found, 2 set-up problem.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "linkcheckerrc"
LINKCHECKER = Path(sys.executable).parent / "linkchecker"
BUILD_ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


def site_url(config_file: Path = ROOT / "mkdocs.yml") -> str:
    """site_url from mkdocs.yml (MkDocs' own loader: the file uses !ENV tags)."""
    from mkdocs.config import load_config

    return load_config(str(config_file))["site_url"]


def site_prefix(config_file: Path = ROOT / "mkdocs.yml") -> str:
    """The path the hosted site lives under, e.g. "/massage-for-sciatica/"."""
    path = urlsplit(site_url(config_file)).path or "/"
    return path if path.endswith("/") else path + "/"


# Local server ------------------------------------------------------------------


class _SiteHandler(SimpleHTTPRequestHandler):
    """Serves the built site under its prefix, with 404.html for missing pages
    (as GitHub Pages does), quietly."""

    prefix = "/"

    def translate_path(self, path):
        path = path.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith(self.prefix):
            return os.path.join(self.directory, "outside-site-prefix", "missing")
        return super().translate_path("/" + path[len(self.prefix) :])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def end_headers(self):
        # Lets LinkChecker use maxrequestspersecond above 10 for this host
        self.send_header("LinkChecker", "local test server")
        super().end_headers()

    def log_message(self, format, *args):
        pass


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A browser that moves on before a file is sent closes the connection
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(directory: Path, prefix: str = "/", handler_class: type = None):
    """Serve directory on a free port of 127.0.0.1; yields the site's base URL.
    handler_class: a _SiteHandler subclass (make audit's serves gzip)."""
    handler = type("Handler", (handler_class or _SiteHandler,), {"prefix": prefix})
    server = _QuietServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


# File trees LinkChecker (as `nobody`) can read -----------------------------------


def _open_to_all(folder: Path) -> None:
    folder.chmod(0o755)
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)


@contextlib.contextmanager
def readable_bundle(bundle: Path):
    """The offline bundle's top folder, in a temp dir everyone can read.

    A zip is unzipped; a folder is copied (pytest's temp dirs are 0700).
    """
    with tempfile.TemporaryDirectory(prefix="linkcheck-offline-") as tmp:
        target = Path(tmp) / "bundle"
        if bundle.is_file():
            with zipfile.ZipFile(bundle) as zf:
                zf.extractall(target)
            tops = [p for p in target.iterdir() if p.is_dir()]
            if len(tops) == 1 and not (target / "index.html").exists():
                target = tops[0]
        else:
            shutil.copytree(bundle, target)
        _open_to_all(Path(tmp))
        yield target


# Running LinkChecker ---------------------------------------------------------------


@dataclass
class Result:
    name: str
    returncode: int
    errors: int
    warnings: int
    urls_checked: int
    output: str
    problems: list[dict]

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.errors and not self.warnings


def _read_report(path: Path) -> list[dict]:
    """Rows of LinkChecker's CSV logger (only failing URLs, as not --verbose)."""
    if not path.is_file():
        return []
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter=";"))


def run_linkchecker(
    name: str,
    urls: list[str],
    *,
    external: bool = False,
    ignore: list[str] = (),
    extra_args: list[str] = (),
    report_dir: Path | None = None,
) -> Result:
    """Run LinkChecker on urls; count errors and warnings from its CSV report."""
    with tempfile.TemporaryDirectory(prefix="linkcheck-out-") as out:
        Path(out).chmod(0o777)  # LinkChecker may be running as nobody
        report = Path(out) / f"{name}.csv"
        cmd = [
            str(LINKCHECKER),
            "--config",
            str(CONFIG),
            "--no-status",
            "--output",
            "text",
            "--file-output",
            f"csv/utf-8/{report}",
        ]
        if external:
            cmd.append("--check-extern")
        for pattern in ignore:
            cmd += ["--ignore-url", pattern]
        cmd += extra_args
        proc = subprocess.run(cmd + urls, capture_output=True, text=True)
        rows = _read_report(report)
        if report_dir is not None and report.is_file():
            report_dir.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(report, report_dir / report.name)
    output = proc.stdout + proc.stderr
    checked = re.search(r"(\d+) links? in (\d+) URLs? checked", output)
    problems = [r for r in rows if r.get("valid") == "False" or r.get("warningstring")]
    return Result(
        name=name,
        returncode=proc.returncode,
        errors=sum(r.get("valid") == "False" for r in rows),
        warnings=sum(bool(r.get("warningstring")) for r in rows),
        urls_checked=int(checked.group(2)) if checked else 0,
        output=output,
        problems=problems,
    )


def check_hosted(
    site_dir: Path,
    *,
    external: bool = False,
    report_dir: Path | None = None,
    start: str | None = None,
    depth: int | None = None,
    config_file: Path = ROOT / "mkdocs.yml",
) -> Result:
    """Serve the hosted build under its site_url prefix and crawl it: from the
    home page and the 404 page, or from one page `start` to `depth` links deep."""
    prefix = site_prefix(config_file)
    # The published copy of these pages is this build, checked here locally
    ignore = [f"^{re.escape(site_url(config_file))}"] if external else []
    extra = ["--recursion-level", str(depth)] if depth is not None else []
    with serve(site_dir, prefix) as base:
        urls = [base + start] if start is not None else [base, base + "404.html"]
        return run_linkchecker(
            "hosted", urls, external=external, ignore=ignore, extra_args=extra, report_dir=report_dir
        )


def check_offline(bundle: Path, *, external: bool = False, report_dir: Path | None = None) -> Result:
    """Crawl the offline bundle (zip or unzipped folder) from file://.

    Its 404.html is left out: it only works behind a web server, and no page links to it.
    """
    with readable_bundle(bundle) as top:
        return run_linkchecker("offline", [(top / "index.html").as_uri()], external=external, report_dir=report_dir)


def _build_both(tmp: Path) -> tuple[Path, Path]:
    site = tmp / "site"
    env = {k: v for k, v in BUILD_ENV.items() if k != "OFFLINE"}
    # Not --quiet: with it, --strict ignores warnings
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if build.returncode != 0:
        sys.stderr.write(build.stderr)
        raise SystemExit(2)
    dist = tmp / "dist"
    # The print edition is not linked from any page: leave it out to save its ~35 s
    offline = subprocess.run(
        [sys.executable, "scripts/build_offline.py", "--dist", str(dist), "--no-pdf"],
        cwd=ROOT,
        env=BUILD_ENV,
        capture_output=True,
        text=True,
    )
    if offline.returncode != 0:
        sys.stderr.write(offline.stdout + offline.stderr)
        raise SystemExit(2)
    return site, next(dist.glob("*.zip"))


def _print(result: Result) -> None:
    status = "ok" if result.ok else "FAILED"
    print(
        f"linkcheck {result.name}: {result.urls_checked} URLs checked, "
        f"{result.errors} errors, {result.warnings} warnings: {status}"
    )
    if not result.ok:
        print(result.output)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="built hosted site folder")
    parser.add_argument("--offline", type=Path, help="offline bundle zip or unzipped folder")
    parser.add_argument("--external", action="store_true", help="also check links to other sites")
    parser.add_argument("--report-dir", type=Path, help="keep LinkChecker's CSV reports here")
    args = parser.parse_args(argv)

    if not LINKCHECKER.is_file():
        print(f"linkcheck: {LINKCHECKER} not found; install requirements.txt", file=sys.stderr)
        return 2
    for given in (args.site, args.offline):
        if given is not None and not given.exists():
            print(f"linkcheck: {given}: no such file or folder", file=sys.stderr)
            return 2

    with tempfile.TemporaryDirectory(prefix="linkcheck-build-") as tmp:
        site, bundle = args.site, args.offline
        if site is None and bundle is None:
            site, bundle = _build_both(Path(tmp))
        # Both at once: LinkChecker is CPU-bound on one core
        with ThreadPoolExecutor(max_workers=2) as pool:
            jobs = []
            if site is not None:
                jobs.append(pool.submit(check_hosted, site, external=args.external, report_dir=args.report_dir))
            if bundle is not None:
                # The bundle links to the same outside pages: check them once, from the hosted run
                external = args.external and site is None
                jobs.append(pool.submit(check_offline, bundle, external=external, report_dir=args.report_dir))
            results = [job.result() for job in jobs]
    for result in results:
        _print(result)
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
