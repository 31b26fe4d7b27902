"""What the gate allows, in one place. Anything not allowed here fails the build.

Scripts: a published .js file must be byte-for-byte the theme's own file at
the same path (Material, itself pinned by hash in requirements.txt), the
project's own (docs/assets/javascripts/, or overrides/assets/javascripts/), the
iframe-worker shim taken from the pinned npm package, or the offline search
index the offline plugin writes. Inline scripts: only the theme's own, listed
below by SHA-256 of their text with the page's relative base path replaced
by BASE (it is the only part that differs between pages).

After upgrading Material, `python scripts/check_output.py --list-inline site`
prints the inline scripts the gate does not know: read each one, and add its
hash here only if it is the theme's own.
"""

from __future__ import annotations

import re

# File types the site may publish; anything else (a .php, an .exe, a .html.bak...) fails
ALLOWED_EXTENSIONS = {
    ".html",
    ".css",
    ".js",
    ".json",
    ".svg",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".avif",
    ".ico",
    ".xml",
    ".gz",
    ".txt",
    ".woff2",
    ".map",
    ".pdf",
}

# Project scripts live here (under docs/ or overrides/), published at the same path
PROJECT_SCRIPT_DIRS = ("assets/javascripts/",)
# The theme's scripts, published from the theme package's templates/ folder
THEME_SCRIPT_DIRS = ("assets/javascripts/",)
# The offline search shim (overrides/hooks/offline_shim.py copies it from node_modules)
SHIM_PATH = "assets/javascripts/iframe-worker-shim.js"
SHIM_SOURCE = "node_modules/iframe-worker/shim/index.js"
# The offline plugin's search index: `var __index = <JSON>`
SEARCH_INDEX_JS = "search/search_index.js"
SEARCH_INDEX_PREFIX = "var __index = "

# <script type> values that hold data, not code (Material's __config)
DATA_SCRIPT_TYPES = {"application/json"}

# new URL("../..",location): the page's base path, the one part that differs per page
BASE_PATH = re.compile(r'(new URL\(")([A-Za-z0-9./_\-]*)(",location\))')

INLINE_SCRIPTS = {
    # Material 9.8.1 base.html: __md_scope, __md_hash, __md_get, __md_set
    "9e2703283f0df807387b5b1d4db3fd62df6ca101c78ef8cd4b96451e9587f552": "Material: __md_scope/__md_get/__md_set",
    # Material 9.8.1 base.html: the reader's palette, applied before first paint
    "0eb10c249dbdb0beef225a10ce5cbe55418cc4a7014cc208f8e7d6ed8f00906e": "Material: palette",
    # Material 9.8.1 base.html: open a linked <details> target
    "ffcc0f7735fdab434d257c80e65cec2e88d716991e69757185b7e450e41a5b2f": "Material: open the #target",
}


def normalise_inline(text: str) -> str:
    return BASE_PATH.sub(r"\1BASE\3", text)
