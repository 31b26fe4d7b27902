"""Shared pieces of the benchmark: paths, timed strict builds, variant
configs, a local web server and the browser."""

from __future__ import annotations

import gzip
import json
import os
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import yaml

# The one local web server, shared with `make linkcheck` (scripts/ is on the path)
from check_links import serve  # noqa: F401  (re-exported for search.py and weight.py)

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "mkdocs.yml"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Level 6 is what Apache's mod_deflate and most CDNs use (nginx defaults to 1)
GZIP_LEVEL = 6


class BenchError(Exception):
    """A measurement could not be taken (a build failed, a page never answered)."""


def build_env(**extra: str) -> dict[str, str]:
    """The environment of a hosted build as `make site` runs it: no OFFLINE
    switch, no end-of-life banner, no PYTHONPATH (which runs the bench)."""
    env = {k: v for k, v in os.environ.items() if k not in ("OFFLINE", "PYTHONPATH")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.update(extra)
    return env


def timed_build(site_dir: Path, config: Path | None = None, **env: str) -> float:
    """Wall-clock seconds of one `mkdocs build --strict` (a fresh process, as
    `make site` runs it). Never --quiet: it hides the warnings --strict counts."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)]
    if config is not None:
        cmd += ["--config-file", str(config)]
    return _run_build(cmd, config, env)[0]


def timed_build_with_hook_timer(site_dir: Path, config: Path | None = None) -> tuple[float, dict]:
    """The same build through bench.hooktime: (wall seconds, time inside each hook)."""
    cmd = [sys.executable, "-m", "bench.hooktime", str(config or CONFIG), str(site_dir)]
    elapsed, stdout = _run_build(cmd, config, {"PYTHONPATH": str(ROOT / "scripts")})
    return elapsed, json.loads(stdout.strip().splitlines()[-1])


def _run_build(cmd: list[str], config: Path | None, env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=ROOT, env=build_env(**env), capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise BenchError(f"strict build failed ({config or CONFIG}):\n{result.stderr[-3000:]}")
    return elapsed, result.stdout


def project_config() -> dict:
    """mkdocs.yml as MkDocs reads it (its !ENV tags resolved)."""
    from mkdocs.utils.yaml import get_yaml_loader

    with CONFIG.open("rb") as fd:
        return yaml.load(fd, Loader=get_yaml_loader())


def variant_config(folder: Path, docs_dir: Path | None = None, **overrides) -> Path:
    """A config in folder that INHERITs the project's mkdocs.yml and changes
    only what is given. MkDocs resolves paths against the child config's
    folder, so the project's own paths (theme, hooks, snippets) are restated
    as absolute ones; lists such as theme.features are replaced, not merged."""
    parent = project_config()
    extensions = []
    for item in parent.get("markdown_extensions", []):
        if isinstance(item, dict) and "pymdownx.snippets" in item:
            options = dict(item["pymdownx.snippets"])
            base = options.get("base_path", ["."])
            options["base_path"] = [str(ROOT / b) for b in ([base] if isinstance(base, str) else base)]
            item = {"pymdownx.snippets": options}
        extensions.append(item)
    child = {
        "INHERIT": str(CONFIG),
        "docs_dir": str(docs_dir or ROOT / parent.get("docs_dir", "docs")),
        "theme": {"custom_dir": str(ROOT / parent["theme"]["custom_dir"])},
        "hooks": [str(ROOT / hook) for hook in parent.get("hooks", [])],
        "watch": [],
        # Restated (not only inherited) because the page lint reads them from this file
        "markdown_extensions": extensions,
    }
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(child.get(key), dict):
            child[key] = {**child[key], **value}
        else:
            child[key] = value
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(child, sort_keys=False), encoding="utf-8")
    return path


def median(values: list[float]) -> float:
    return statistics.median(values)


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))


def kb(n: float) -> float:
    return round(n / 1024, 1)


def browser_missing() -> str | None:
    """Why the browser figures cannot be taken here, or None."""
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed in .venv"
    return None


@contextmanager
def chromium():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
