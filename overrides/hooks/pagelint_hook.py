"""Run the page lint inside MkDocs, on the HTML MkDocs has already rendered.

`make serve` (mkdocs serve --no-strict, scripts/serve.py) shows the lint's
findings as warnings while you write and keeps serving; `mkdocs build
--strict` (make site) fails on its errors. The hook also checks the registry
of sources once per build (on_config). The lint itself lives in
scripts/pagelint and runs without MkDocs too (`make lint`). Set
PAGELINT_HOOK=0 to switch the hook off (the benchmark does, to measure it).
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

# The lint is a plain package in scripts/, not installed into the venv
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from pagelint.context import Context
from pagelint.report import format_text
from pagelint.rules import HOOK_RULES
from pagelint.runner import lint_page
from pagelint.siteconfig import load_site_config

log = logging.getLogger("mkdocs.hooks.pagelint")
_ctx: Context | None = None


def _enabled() -> bool:
    return os.environ.get("PAGELINT_HOOK", "1") != "0"


def on_config(config):
    global _ctx
    _ctx = Context.create(load_site_config(Path(config.config_file_path))) if _enabled() else None
    registry = _ctx.site.registry if _ctx else None
    if registry is not None and registry.path is not None:
        display = os.path.relpath(registry.path, _ctx.site.root)
        for finding in registry.check(display):
            log.warning(format_text(finding))


def on_page_content(html, page, config, files):
    if _ctx is None or not page.file.abs_src_path:
        return html
    result = lint_page(
        Path(page.file.abs_src_path), _ctx, display=f"docs/{page.file.src_uri}", html=html, rules=HOOK_RULES
    )
    for finding in result.findings:
        # Errors are warnings to MkDocs, so --strict fails on them; the lint's own warnings stay informational
        (log.warning if finding.is_error else log.info)(format_text(finding))
    return html
