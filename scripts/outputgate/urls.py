"""URLs as a browser reads them (WHATWG URL parsing, the parts that decide
where a URL goes): entities are already decoded by the HTML parser; here
leading/trailing C0 controls and spaces go, tabs and newlines anywhere go,
backslashes count as slashes, and the scheme is compared in lower case."""

from __future__ import annotations

import re

_C0_SPACE = "".join(chr(c) for c in range(0x21))
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")

# Navigating to these runs code or shows content the site did not write
DANGEROUS_SCHEMES = {"javascript", "vbscript", "data"}
# Links a reader may follow off the site (navigation, never loaded by the page)
LINK_SCHEMES = {"http", "https", "mailto", "tel"}


def normalise(url: str) -> str:
    return _TAB_NEWLINE.sub("", url.strip(_C0_SPACE)).replace("\\", "/")


def scheme(url: str) -> str | None:
    """The URL's scheme in lower case, or None for a relative URL."""
    match = _SCHEME.match(normalise(url))
    return match.group(1).lower() if match else None


def is_same_site(url: str, site_url: str | None = None) -> bool:
    """A relative URL (path, query or fragment only) or one under the site's own URL."""
    value = normalise(url)
    if scheme(value) is None:
        return not value.startswith("//")  # //host/... is another site
    return bool(site_url) and value.lower().startswith(site_url.lower())
