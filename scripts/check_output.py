#!/usr/bin/env python3
"""The output gate: check everything a build would publish against the allow-list.

Usage: python scripts/check_output.py SITE_DIR_OR_ZIP [...] [--docs docs] [--format text|github]
       python scripts/check_output.py --add-csp SITE_DIR     (the post-build step: adds the CSP)
       python scripts/check_output.py --list-inline SITE_DIR (inline scripts and their hashes)

Run by `make site` and `make offline` after every build, and by CI. A plain
script over the output: it needs no MkDocs and runs no hooks.
Exit status: 0 nothing to report, 1 problems found, 2 could not run.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from outputgate import allowlist, csp
from outputgate.gate import Problem, check_tree

ROOT = Path(__file__).resolve().parents[1]


def site_url(config: Path) -> str | None:
    """site_url from mkdocs.yml, read as text (no MkDocs, no YAML tags run)."""
    try:
        for line in config.read_text(encoding="utf-8").splitlines():
            if line.startswith("site_url:"):
                return line.split(":", 1)[1].strip().strip("'\"") or None
    except OSError:
        return None
    return None


def unzip_safely(zip_path: Path, dest: Path) -> list[Problem]:
    """Extract a bundle for checking; entries that would land outside it or are links are problems."""
    problems = []
    with zipfile.ZipFile(zip_path) as zf:
        for info in zf.infolist():
            name = info.filename
            parts = Path(name).parts
            if name.startswith(("/", "\\")) or ".." in parts or ":" in name:
                problems.append(
                    Problem(
                        f"{zip_path}:{name}",
                        "zip-path",
                        "an entry outside the bundle's folder",
                        "rebuild with `make offline`",
                    )
                )
                continue
            if (info.external_attr >> 16) & 0o170000 == 0o120000:
                problems.append(
                    Problem(f"{zip_path}:{name}", "symlink", "a symbolic link in the bundle", "publish real files only")
                )
                continue
            zf.extract(info, dest)
    return problems


def check(target: Path, docs: Path | None, url: str | None, check_csp: bool = True) -> list[Problem]:
    if target.suffix == ".zip":
        with tempfile.TemporaryDirectory(prefix="gate-") as tmp:
            problems = unzip_safely(target, Path(tmp))
            folders = [p for p in Path(tmp).iterdir() if p.is_dir()]
            for folder in folders:
                problems += check_tree(folder, f"{target}:{folder.name}", ROOT, docs, url, check_csp)
            return problems
    return check_tree(target, str(target), ROOT, docs, url, check_csp)


def list_inline(target: Path) -> int:
    from selectolax.lexbor import LexborHTMLParser

    seen = {}
    for page in sorted(target.rglob("*.html")):
        tree = LexborHTMLParser(page.read_text(encoding="utf-8", errors="replace"))
        for text in csp.inline_scripts(tree):
            digest = hashlib.sha256(allowlist.normalise_inline(text).encode()).hexdigest()
            seen.setdefault(digest, (page.relative_to(target).as_posix(), text))
    for digest, (page, text) in seen.items():
        known = "allowed" if digest in allowlist.INLINE_SCRIPTS else "NOT ALLOWED"
        print(f"{digest} {known} (first on {page}):\n    {text[:300]}\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], epilog="Exit status: 0 clean, 1 problems found, 2 could not run."
    )
    p.add_argument("targets", nargs="+", type=Path, help="built site folders or offline bundle zips")
    p.add_argument("--docs", type=Path, default=ROOT / "docs", help="the pages' sources, to name them (default: docs/)")
    p.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml", help="mkdocs.yml, for site_url")
    p.add_argument("--format", choices=("text", "github"), default="text")
    p.add_argument("--add-csp", action="store_true", help="add the Content-Security-Policy to every page, then check")
    p.add_argument("--no-csp", action="store_true", help=argparse.SUPPRESS)  # for tests of the other checks
    p.add_argument("--list-inline", action="store_true", help="print each inline script and whether it is allowed")
    p.add_argument("--quiet", action="store_true", help="print nothing when clean")
    args = p.parse_args(argv)

    for target in args.targets:
        if not target.exists():
            print(f"check_output: no such folder or zip: {target}", file=sys.stderr)
            return 2
    if args.list_inline:
        return max(list_inline(t) for t in args.targets)
    started = time.perf_counter()
    problems: list[Problem] = []
    try:
        for target in args.targets:
            if args.add_csp:
                if not target.is_dir():
                    print(f"check_output: --add-csp needs a folder, not {target}", file=sys.stderr)
                    return 2
                csp.add_csp(target)
            problems += check(target, args.docs if args.docs.is_dir() else None, site_url(args.config), not args.no_csp)
    except (OSError, zipfile.BadZipFile) as exc:
        print(f"check_output: cannot read the output: {exc}", file=sys.stderr)
        return 2
    for problem in problems:
        print(problem.github() if args.format == "github" else problem.format())
    took = time.perf_counter() - started
    if problems:
        print(
            f"check_output: {len(problems)} problems: nothing was published "
            "(fix each line above; see CONTRIBUTING.md, 'The output gate')",
            file=sys.stderr,
        )
        return 1
    if not args.quiet:
        print(f"check_output: {', '.join(map(str, args.targets))}: clean ({took:.2f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
