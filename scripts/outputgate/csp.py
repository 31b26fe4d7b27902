"""The Content-Security-Policy every published page carries, as a <meta> tag
(GitHub Pages sets no headers, and a file:// page has none).

Nothing may load from another origin; inline scripts run only when their
SHA-256 is listed, and the list is computed for each page from the page
itself after the build (Material's inline scripts differ per page in their
base path), for the inline scripts the allow-list knows only. On offline pages the iframe-worker shim writes one inline script
into a blank iframe, which inherits the page's policy: its hash is computed
from the shim and the page's search-worker URL.

style-src keeps 'unsafe-inline': Material sets style attributes from its
JavaScript. Inline CSS cannot load anything from elsewhere, as img-src,
font-src and connect-src allow only the site itself.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re

from selectolax.lexbor import LexborHTMLParser

from .allowlist import DATA_SCRIPT_TYPES, INLINE_SCRIPTS, SHIM_PATH, normalise_inline

META_NAME = "Content-Security-Policy"
_HEAD = re.compile(rb"<head\b[^>]*>", re.I)
_CHARSET = re.compile(rb"<meta\s+charset=[^>]*>", re.I)
_JS_TYPES = {
    "",
    "text/javascript",
    "application/javascript",
    "module",
    "text/ecmascript",
    "application/ecmascript",
    "text/jscript",
    "text/livescript",
}


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def is_code(script) -> bool:
    """A <script> the browser runs (not a data block such as Material's __config)."""
    kind = (script.attributes.get("type") or "").strip().lower()
    return kind not in DATA_SCRIPT_TYPES and (kind in _JS_TYPES or kind.split(";")[0] in _JS_TYPES)


def inline_scripts(tree) -> list[str]:
    return [s.text(deep=True) for s in tree.css("script") if "src" not in s.attributes and is_code(s)]


def shim_inline_script(shim_js: str, worker_url: str) -> str | None:
    """The text of the inline script the iframe-worker shim writes into its
    iframe (a JS template literal filled with two of its own functions'
    source and the worker's URL), or None if the shim is not shaped as expected."""
    match = re.search(r"<script>(.*?)<\\/script>", shim_js, re.S)
    if not match:
        return None
    template = match.group(1).replace("\\/", "/")

    def fill(name: re.Match) -> str:
        start = shim_js.find(f"function {name.group(1)}(")
        if start < 0:
            return worker_url  # the constructor's argument: the worker's URL
        depth, opening = 0, shim_js.index("{", start)
        for index in range(opening, len(shim_js)):
            depth += {"{": 1, "}": -1}.get(shim_js[index], 0)
            if depth == 0:
                return shim_js[start : index + 1]
        return ""

    return re.sub(r"\$\{(\w+)\}", fill, template)


def policy(hashes: list[str]) -> str:
    scripts = " ".join(["'self'", *sorted(set(hashes))])
    return (
        "default-src 'none'; "
        f"script-src {scripts}; "
        "style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        "worker-src 'self'; manifest-src 'self'; frame-src 'self'; "
        "form-action 'self'; base-uri 'none'; object-src 'none'"
    )


def allowed(text: str) -> bool:
    """An inline script the allow-list knows (the theme's own)."""
    return hashlib.sha256(normalise_inline(text).encode("utf-8")).hexdigest() in INLINE_SCRIPTS


def expected_policy(tree, shim_js: str | None) -> str:
    """The policy a page must carry, computed from the page itself: the hashes
    of its inline scripts that the allow-list knows, and no others, so an
    injected inline script is blocked by the browser even if the gate is off."""
    hashes = [sha256_source(text) for text in inline_scripts(tree) if allowed(text)]
    loads_shim = any((s.attributes.get("src") or "").endswith(SHIM_PATH) for s in tree.css("script[src]"))
    if loads_shim and shim_js:
        config = tree.css_first("script#__config")
        try:
            worker = json.loads(config.text()).get("search") if config else None
        except ValueError:
            worker = None
        text = shim_inline_script(shim_js, worker) if worker else None
        if text:
            hashes.append(sha256_source(text))
    return policy(hashes)


def add_to_page(raw: bytes, shim_js: str | None) -> bytes:
    """The page with its CSP <meta> first in <head> (after <meta charset>);
    a page that already carries one is returned unchanged."""
    tree = LexborHTMLParser(raw.decode("utf-8"))
    if tree.css_first('meta[http-equiv="Content-Security-Policy" i]') is not None:
        return raw
    tag = f'<meta http-equiv="{META_NAME}" content="{expected_policy(tree, shim_js)}">'.encode()
    anchor = _CHARSET.search(raw) or _HEAD.search(raw)
    if anchor is None:
        return tag + raw
    return raw[: anchor.end()] + tag + raw[anchor.end() :]


def add_csp(site_dir) -> tuple[int, int]:
    """Add the CSP to every HTML page under site_dir; returns (pages, bytes added)."""
    from pathlib import Path

    site_dir = Path(site_dir)
    shim = site_dir / SHIM_PATH
    shim_js = shim.read_text(encoding="utf-8") if shim.is_file() else None
    pages = added = 0
    for page in sorted(site_dir.rglob("*.html")):
        if page.is_symlink():
            continue  # the gate refuses it
        raw = page.read_bytes()
        try:
            new = add_to_page(raw, shim_js)
        except UnicodeDecodeError:
            continue  # the gate reports it
        if new != raw:
            page.write_bytes(new)
            pages += 1
            added += len(new) - len(raw)
    return pages, added
