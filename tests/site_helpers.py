"""Helpers for the checks of the built site (issue #7): tool look-up that
skips on a developer machine but fails in CI, copies of the project for
fault-injection tests, and the project's own local server."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BUILD_ENV, ROOT, refuse_in_fast_tier

sys.path.insert(0, str(ROOT / "scripts"))
# The script behind make linkcheck: its server and checker, for the tests that import it from here
import check_links  # noqa: F401

# Debian's Chromium; CHROMIUM=/other/path to try another build of it
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
VNU_JAR = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"
AXE_JS = ROOT / "node_modules/axe-core/axe.min.js"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(ok: bool, reason: str) -> None:
    """Skip the test with reason, except in CI, where a missing tool fails it."""
    if ok:
        return
    if in_ci():
        pytest.fail(f"{reason} (CI=true: a missing tool is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


def tracked_files() -> list[str]:
    """Every file git tracks, as paths relative to the project root."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True)
    assert listed.returncode == 0, listed.stderr.decode()
    return [name for name in listed.stdout.decode().split("\0") if name]


def pre_commit_hooks() -> list[dict]:
    """The hooks .pre-commit-config.yaml defines, as written there."""
    import yaml

    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return [hook for repo in config["repos"] for hook in repo["hooks"]]


def require_java() -> str:
    java = shutil.which("java")
    require(java is not None, "Java not found: install default-jre-headless to run the HTML validator")
    require(VNU_JAR.is_file(), f"{VNU_JAR.relative_to(ROOT)} missing: run `npm ci`")
    return java


def copy_project(dest: Path) -> Path:
    """A copy of what a build reads, to inject a fault into without touching the repo."""
    ignore = shutil.ignore_patterns("__pycache__")
    for part in ("docs", "overrides", "scripts"):
        shutil.copytree(ROOT / part, dest / part, ignore=ignore)
    for name in ("mkdocs.yml", "linkcheckerrc"):
        shutil.copy(ROOT / name, dest / name)
    # The seed articles, which seed-quote markers are checked against (pagelint SEEDS_DIR)
    if (ROOT / "tests/data/seeds").is_dir():
        shutil.copytree(ROOT / "tests/data/seeds", dest / "tests/data/seeds")
    (dest / "node_modules").symlink_to(ROOT / "node_modules")
    return dest


def build(work: Path, site_dir: Path, *, strict: bool = True) -> Path:
    """Build the hosted site of a project copy (non-strict to let a fault through)."""
    refuse_in_fast_tier("a build of a project copy")
    env = {k: v for k, v in BUILD_ENV.items() if k != "OFFLINE"}
    # mkdocs.yml says strict: true, so a non-strict build must say so
    cmd = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--site-dir",
        str(site_dir),
        "--strict" if strict else "--no-strict",
    ]
    result = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"build of the project copy failed:\n{result.stderr}"
    return site_dir
