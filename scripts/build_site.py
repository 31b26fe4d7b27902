#!/usr/bin/env python3
"""Build the hosted site, fail closed: `make site`.

1. Remove temporary folders that killed builds left behind (their process is gone).
2. Refuse symbolic links in docs/ that point outside it.
3. `mkdocs build --strict` into a new temporary folder next to site/.
4. Add the Content-Security-Policy to every page, then run the output gate
   (scripts/check_output.py) over the folder.
5. Only then swap it in for site/ (one atomic rename where the system has it).

A failed step leaves the previous site/ as it was (or none) and no
half-written folder. A MkDocs crash (a missing snippet, a page that is not
UTF-8) is reported as one line per file with what to do, not a traceback.

Usage: python scripts/build_site.py [--site-dir site]
Exit status: 0 built and swapped in, 1 the build or the gate failed, 2 could not run.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from outputgate import csp
from outputgate.gate import check_tree, source_symlinks

ROOT = Path(__file__).resolve().parents[1]
TEMP_MARK = ".build-"  # site/ is built in ".site.build-<pid>-<n>", the old one leaves as ".site.old-<pid>-<n>"


class BuildFailed(Exception):
    """The build or the gate failed; the message says why and what to do."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale(folder: Path, prefixes: tuple[str, ...]) -> list[Path]:
    """Remove leftovers named <prefix><pid>-... whose process no longer runs."""
    removed = []
    for path in folder.glob(".*"):
        for prefix in prefixes:
            if path.name.startswith(prefix):
                match = re.match(r"(\d+)-", path.name[len(prefix) :])
                if match and not _alive(int(match.group(1))):
                    if path.is_dir() and not path.is_symlink():
                        shutil.rmtree(path, ignore_errors=True)
                    else:
                        path.unlink(missing_ok=True)
                    removed.append(path)
    return removed


def temp_name(folder: Path, prefix: str) -> Path:
    return folder / f"{prefix}{os.getpid()}-{time.monotonic_ns()}"


def explain_crash(stderr: str, docs: Path) -> list[str]:
    """One line per page for what made MkDocs crash, found by the page lint
    (which reads each page without MkDocs), else the exception's own last line."""
    lines = []
    try:
        from pagelint.cli import main as lint_main  # noqa: F401

        result = subprocess.run(
            [sys.executable, str(ROOT / "scripts/lint_pages.py"), str(docs)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=300,
        )
        wanted = (
            "file-encoding",
            "snippet-missing",
            "front-matter-yaml",
            "file-unreadable",
            "file-too-large",
            "line-too-long",
            "nesting-too-deep",
            "symlink-outside",
        )
        lines = [line for line in result.stdout.splitlines() if any(f" {w} " in line for w in wanted)]
    except (OSError, subprocess.SubprocessError, ImportError):
        pass
    if not lines:
        last = next((line for line in reversed(stderr.strip().splitlines()) if line.strip()), "unknown error")
        lines = [f"mkdocs stopped with: {last.strip()} (run `make lint` to find the page)"]
    return lines


def mkdocs_build(site_dir: Path, env: dict, docs: Path, config: Path | None = None) -> None:
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)]
    if config is not None:
        cmd += ["--config-file", str(config)]
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode == 0:
        return
    if "Traceback (most recent call last)" in result.stderr:
        head = [
            line
            for line in result.stderr.split("Traceback", 1)[0].splitlines()
            if line.startswith(("WARNING", "ERROR"))
        ]
        raise BuildFailed("\n".join(head + explain_crash(result.stderr, docs)))
    raise BuildFailed(result.stderr.rstrip() or f"mkdocs build failed (exit {result.returncode})")


def gate(site_dir: Path, docs: Path, shown: str, site_url: str | None) -> None:
    """Add the CSP to every page, then check everything the folder would publish."""
    csp.add_csp(site_dir)
    problems = check_tree(site_dir, shown, ROOT, docs, site_url)
    if problems:
        raise BuildFailed(
            "\n".join(p.format() for p in problems)
            + f"\ncheck_output: {len(problems)} problems in the output (scripts/outputgate)"
        )


def preflight(docs: Path) -> None:
    """What must be refused before MkDocs reads anything: links out of docs/,
    and pages over the limits that would make Markdown crash or take minutes."""
    from pagelint.limits import check_file
    from pagelint.report import format_text

    lines = [p.format() for p in source_symlinks(docs)]
    for path in sorted(docs.rglob("*.md")):
        if path.is_symlink():
            continue  # reported above when it leaves docs/
        finding = check_file(path, os.path.relpath(path)) or _aliases(path)
        if finding:
            lines.append(format_text(finding))
    if lines:
        raise BuildFailed("\n".join(lines))


def _aliases(path: Path):
    """YAML anchors/aliases in a page's front matter: refused before MkDocs
    expands them (an alias bomb would exhaust memory)."""
    from pagelint.limits import check_front_matter_aliases

    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    match = re.match(r"---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(\r?\n|$)", text, re.S)
    return check_front_matter_aliases(os.path.relpath(path), match.group(1)) if match else None


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    AT_FDCWD, RENAME_EXCHANGE = -100, 2
    return renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0


def swap_in(new: Path, final: Path) -> None:
    """Put new where final is; the old final is removed afterwards."""
    if final.exists() or final.is_symlink():
        if _exchange(new, final):
            shutil.rmtree(new, ignore_errors=True)  # new now holds the old site
            return
        old = temp_name(final.parent, f".{final.name}.old-")
        os.rename(final, old)
        os.rename(new, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(new, final)


def site_url(config: Path) -> str | None:
    from check_output import site_url as read

    return read(config)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site-dir", type=Path, default=ROOT / "site")
    parser.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml")
    args = parser.parse_args(argv)
    final = args.site_dir.resolve()
    docs = ROOT / "docs"
    parent = final.parent
    parent.mkdir(parents=True, exist_ok=True)
    clean_stale(parent, (f".{final.name}.build-", f".{final.name}.old-"))

    started = time.perf_counter()
    tmp = temp_name(parent, f".{final.name}.build-")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("OFFLINE", None)
    try:
        preflight(docs)
        mkdocs_build(tmp, env, docs, args.config)
        built = time.perf_counter()
        gate(tmp, docs, os.path.relpath(final), site_url(args.config))
        swap_in(tmp, final)
    except BuildFailed as exc:
        print(exc, file=sys.stderr)
        print(f"build_site: build failed; {os.path.relpath(final)}/ was left as it was", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("build_site: interrupted; site/ was left as it was", file=sys.stderr)
        return 1
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    pages = sum(1 for _ in final.rglob("*.html"))
    print(
        f"build_site: {os.path.relpath(final)}/ ({pages} pages): built in {built - started:.1f} s, "
        f"CSP and gate {time.perf_counter() - built:.2f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
