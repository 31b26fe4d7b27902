"""The registry of sources (docs/includes/references.yml) as the lint and
scripts/about_pages.py see it.

mkdocs.yml names the registry with `INHERIT:`, so MkDocs and Zensical merge it
into the config as `extra.references` and the theme renders each page's
Sources list from it (overrides/partials/page-sources.html). Pages cite entries
by id; inline links are matched to entries by normalised URL or DOI.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from .findings import Finding

DOI = re.compile(r"^10\.\d{4,9}/\S+$")
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
FREE_TO_READ = (True, False, "unknown")
REQUIRED = ("id", "title", "kind", "summary", "strength", "free_to_read")

# Hosts whose pages are sources (guidelines, journals, health bodies): a link
# to one of them must be an entry of the registry. A host matches itself and
# its subdomains (nhs.uk matches www.nhs.uk and cuh.nhs.uk).
SOURCE_HOSTS = (
    "doi.org",
    "dx.doi.org",
    "nice.org.uk",
    "nhs.uk",
    "nhsinform.scot",
    "nih.gov",
    "ncbi.nlm.nih.gov",
    "europepmc.org",
    "cochrane.org",
    "cochranelibrary.com",
    "bmj.com",
    "thelancet.com",
    "nejm.org",
    "jamanetwork.com",
    "acpjournals.org",
    "sciencedirect.com",
    "springer.com",
    "wiley.com",
    "biomedcentral.com",
    "hindawi.com",
    "academic.oup.com",
    "tandfonline.com",
    "journals.lww.com",
    "mayoclinic.org",
    "who.int",
    "cdc.gov",
    "cambridge.org",
    "medlineplus.gov",
)
# Services on those hosts that are not sources: links for readers to use
NOT_SOURCES = ("111.nhs.uk",)


def source_key(source: dict) -> str | None:
    """One comparable key per source: 'doi:<doi>' or the URL without scheme,
    'www.', fragment or trailing slash, in lower case."""
    doi = str(source.get("doi") or "").strip()
    url = str(source.get("url") or "").strip()
    parts = urlsplit(url)
    if not doi and parts.netloc.lower() in {"doi.org", "dx.doi.org"}:
        doi = parts.path.lstrip("/")
    if doi:
        return "doi:" + doi.lower().removeprefix("doi:")
    if not url:
        return None
    host = parts.netloc.lower().removeprefix("www.")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{parts.path.rstrip('/')}{query}".lower()


def link_of(entry: dict) -> str:
    """The address a reader opens: the DOI resolver for a DOI, else the URL."""
    return f"https://doi.org/{entry['doi']}" if entry.get("doi") else str(entry.get("url") or "")


def citation(entry: dict) -> str:
    """'Authors (Year). Title. Journal' as one line, as the theme's Sources list
    shows it (overrides/partials/page-sources.html); about/sources.md headings."""
    authors, year = entry.get("authors"), entry.get("year")
    title, journal = str(entry.get("title") or ""), entry.get("journal")
    if authors:
        head = f"{authors} ({year}). " if year else (f"{authors} " if str(authors).endswith(".") else f"{authors}. ")
        text = head + title
    else:
        text = f"{title} ({year})" if year else title
    if journal:
        text = (text if text[-1:] in ".?!" else text + ".") + f" {journal}"
    return text


def is_source_host(host: str) -> bool:
    host = host.lower().split(":")[0]
    if host in NOT_SOURCES:
        return False
    return any(host == h or host.endswith("." + h) for h in SOURCE_HOSTS)


class Registry:
    """The entries, looked up by id and by normalised URL/DOI."""

    def __init__(self, entries: list, path: Path | None = None, lines: list[str] | None = None):
        self.path = path
        self.entries = [e for e in entries if isinstance(e, dict)]
        self.raw = entries
        self._lines = lines or []
        self.by_id = {str(e.get("id")): e for e in self.entries if e.get("id")}
        self.by_key = {}
        for entry in self.entries:
            key = source_key(entry)
            if key and entry.get("id"):
                self.by_key.setdefault(key, str(entry["id"]))

    def id_for_link(self, href: str) -> str | None:
        return self.by_key.get(source_key({"url": href}))

    def line_of_id(self, ref_id: str) -> int:
        pattern = re.compile(rf"^\s*-\s*id:\s*['\"]?{re.escape(ref_id)}['\"]?\s*$")
        return next((i + 1 for i, line in enumerate(self._lines) if pattern.match(line)), 1)

    def check(self, display: str) -> list[Finding]:
        """Problems in the registry itself, each with the line of its entry."""
        found: list[Finding] = []

        def bad(line, message, hint):
            found.append(Finding(display, line, 1, "registry-invalid", message, hint))

        if not isinstance(self.raw, list):
            bad(
                1,
                "extra.references must be a list of entries",
                "keep the file as `extra:` / `references:` / `- id: ...` (see its header)",
            )
            return found
        seen_ids: dict[str, int] = {}
        seen_keys: dict[str, str] = {}
        for number, entry in enumerate(self.raw, start=1):
            if not isinstance(entry, dict):
                bad(1, f"entry {number} is not a mapping", "start each entry with '- id: ...'")
                continue
            ref_id = str(entry.get("id") or "")
            line = self.line_of_id(ref_id) if ref_id else 1
            name = ref_id or f"entry {number}"
            for key in REQUIRED:
                if key not in entry or entry[key] is None or entry[key] == "":
                    bad(line, f"{name} lacks '{key}'", f"add '{key}:' (see the list of fields at the top of the file)")
            if ref_id and not ID.match(ref_id):
                bad(
                    line,
                    f"id {ref_id!r} is not a short name in lower case",
                    "use letters, digits and dashes: e.g. furlan-2015",
                )
            if ref_id in seen_ids:
                bad(
                    line, f"id {ref_id!r} is used twice (also on line {seen_ids[ref_id]})", "give each source one entry"
                )
            seen_ids.setdefault(ref_id, line)
            doi, url = entry.get("doi"), entry.get("url")
            if doi is not None and not DOI.match(str(doi).strip()):
                bad(line, f"{name}: {doi!r} is not a DOI", "write the DOI as 10.xxxx/..., without https://doi.org/")
            if doi is None and url is None:
                bad(line, f"{name} has neither 'url' nor 'doi'", "add 'url: https://...' or 'doi: 10....'")
            if url is not None and not str(url).startswith("https://"):
                bad(line, f"{name}: {url!r} is not an https:// URL", "link the source over https://")
            if "free_to_read" in entry and entry["free_to_read"] not in FREE_TO_READ:
                bad(line, f"{name}: free_to_read is {entry['free_to_read']!r}", "write true, false or unknown")
            if "year" in entry and not (isinstance(entry["year"], int) and 1800 < entry["year"] < 2200):
                bad(
                    line,
                    f"{name}: year {entry['year']!r} is not a year",
                    "write the year as four digits, or leave it out",
                )
            key = source_key(entry)
            if key and key in seen_keys:
                bad(line, f"{name} is the same source as {seen_keys[key]}", "keep one entry per URL or DOI")
            elif key:
                seen_keys[key] = name
        return found
