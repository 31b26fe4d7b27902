"""The checks. check_tree(folder) returns every Problem in what it would publish."""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from . import allowlist, csp, css, urls

# Attributes whose URL the browser fetches by itself when the page loads or is used
RESOURCE_ATTRS = {
    "src",
    "srcset",
    "poster",
    "data",
    "action",
    "formaction",
    "ping",
    "background",
    "lowsrc",
    "dynsrc",
    "manifest",
    "codebase",
    "archive",
    "imagesrcset",
    "xlink:href",
}
# <link rel> values that are links (never fetched by the page), not resources
LINK_RELS = {
    "canonical",
    "alternate",
    "author",
    "license",
    "help",
    "next",
    "prev",
    "edit",
    "me",
    "bookmark",
    "external",
    "nofollow",
    "noopener",
    "noreferrer",
    "tag",
    "search",
}
# Elements the site never publishes
FORBIDDEN_TAGS = {
    "iframe": "frames load other documents",
    "frame": "frames load other documents",
    "frameset": "frames load other documents",
    "object": "plug-ins run code",
    "embed": "plug-ins run code",
    "applet": "plug-ins run code",
    "portal": "portals load other documents",
    "base": "<base> changes where every relative link on the page points",
    "noscript": "browsers and parsers read <noscript> differently, so what it holds cannot be checked",
}
# Images may come from data: URLs (Material's icons do); nothing else may
DATA_OK = {("img", "src"), ("img", "srcset"), ("source", "srcset"), ("image", "href"), ("image", "xlink:href")}
CHECKED_AS_XML_TEXT = (b"<?xml-stylesheet", b"<!ENTITY")


@dataclass(frozen=True, order=True)
class Problem:
    output: str  # the published file, as given on the command line
    rule: str
    message: str
    hint: str
    source: str | None = None  # "docs/x.md:12" when it can be traced

    def format(self) -> str:
        where = f" [source: {self.source}]" if self.source else ""
        return f"{self.output}{where}: {self.rule}: {self.message} ({self.hint})"

    def github(self) -> str:
        file, _, line = (self.source or self.output).partition(":")
        props = f"file={file}" + (f",line={line}" if line else "") + f",title=gate {self.rule}"
        return f"::error {props}::{self.output}: {self.message} ({self.hint})".replace("\n", " ")


class Gate:
    def __init__(
        self,
        root: Path,
        display: str,
        project: Path,
        docs_dir: Path | None = None,
        site_url: str | None = None,
        theme_dir: Path | None = None,
        check_csp: bool = True,
    ):
        self.root, self.display, self.project = Path(root), display.rstrip("/"), Path(project)
        self.docs_dir = docs_dir
        self.site_url = site_url
        self.theme_dir = theme_dir
        self.check_csp = check_csp
        self.problems: list[Problem] = []
        shim = self.root / allowlist.SHIM_PATH
        self.shim_js = (
            shim.read_text(encoding="utf-8", errors="replace") if shim.is_file() and not shim.is_symlink() else None
        )
        self.current = ""
        self._css_cache: dict[str, list] = {}

    # Reporting -----------------------------------------------------------------

    def report(self, rel: str, rule: str, message: str, hint: str, needle: str | None = None) -> None:
        self.problems.append(Problem(f"{self.display}/{rel}", rule, message, hint, self.source_of(rel, needle)))

    def source_of(self, rel: str, needle: str | None) -> str | None:
        """The docs page (and line) a published file came from, when it can be told."""
        if self.docs_dir is None:
            return None
        candidates = []
        if rel.endswith(".html"):
            stem = rel[:-5]
            if stem == "index" or stem.endswith("/index"):
                base = stem[:-5].rstrip("/")
                candidates += [f"{base}.md" if base else "index.md", f"{base}/index.md".lstrip("/")]
            else:
                candidates += [f"{stem}.md", f"{stem}/index.md"]
        else:
            candidates.append(rel)
        for candidate in candidates:
            path = self.docs_dir / candidate
            if path.is_file():
                shown = os.path.relpath(path)
                if needle and candidate.endswith(".md"):
                    try:
                        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                            if needle in line:
                                return f"{shown}:{number}"
                    except (OSError, UnicodeDecodeError):
                        pass
                return shown
        return None

    # The walk ---------------------------------------------------------------------

    def run(self) -> list[Problem]:
        if self.docs_dir is not None:
            self.problems += source_symlinks(self.docs_dir)
        for folder, dirs, files in os.walk(self.root, followlinks=False):
            for name in sorted(dirs + files):
                path = Path(folder) / name
                rel = path.relative_to(self.root).as_posix()
                if path.is_symlink():
                    self.report(
                        rel,
                        "symlink",
                        "a symbolic link in the output",
                        "publish real files only: remove the link from docs/ or overrides/",
                    )
                    continue
                if path.is_dir():
                    continue
                self.check_file(path, rel)
        return sorted(self.problems)

    def check_file(self, path: Path, rel: str) -> None:
        self.current = rel
        suffix = path.suffix.lower()
        if suffix not in allowlist.ALLOWED_EXTENSIONS:
            self.report(
                rel,
                "file-type",
                f"'{suffix or path.name}' files are not published",
                "remove the file from docs/, or add its type to scripts/outputgate/allowlist.py after review",
            )
            return
        raw = path.read_bytes()
        if suffix in (".html", ".svg"):
            self.check_markup(raw, rel, svg=suffix == ".svg")
        elif suffix == ".css":
            self.check_css_file(raw, rel)
        elif suffix == ".js":
            self.check_js_file(raw, rel)

    # HTML and SVG -------------------------------------------------------------------

    def check_markup(self, raw: bytes, rel: str, svg: bool) -> None:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.report(rel, "encoding", f"not valid UTF-8 (byte {exc.start})", "save the source as UTF-8")
            return
        if svg:
            for marker in CHECKED_AS_XML_TEXT:
                if marker.decode().lower() in text.lower():
                    self.report(
                        rel,
                        "svg-xml",
                        f"{marker.decode()} in an SVG file",
                        "remove it: stylesheets and entities can load other files",
                    )
        tree = LexborHTMLParser(text)
        for node in tree.css("*"):
            self.check_element(node, rel)
        if not svg and self.check_csp:
            self.check_page_csp(tree, rel)

    def check_element(self, node, rel: str) -> None:
        tag = (node.tag or "").lower()
        attrs = {(k or "").lower(): (v or "") for k, v in node.attributes.items()}
        if tag in FORBIDDEN_TAGS:
            self.report(
                rel,
                "element",
                f"<{tag}> is not allowed: {FORBIDDEN_TAGS[tag]}",
                "remove it from the page or template",
                f"<{tag}",
            )
        for name, value in attrs.items():
            if name.startswith("on"):
                self.report(
                    rel,
                    "event-handler",
                    f"{name}= on <{tag}> runs script",
                    "remove the attribute; behaviour belongs in a reviewed file under docs/assets/javascripts/",
                    name,
                )
            elif urls.scheme(value) in ("javascript", "vbscript"):
                self.report(
                    rel,
                    "script-url",
                    f"{urls.scheme(value)}: URL in {name}= on <{tag}>",
                    "link to a page or an https:// address instead",
                    _needle(value),
                )
        if tag == "template":
            # Its content is inert until a script uses it, and the parser keeps it out of
            # the page's tree: check it as a fragment of its own, with the same rules
            inner = re.sub(r"^<template\b[^>]*>|</template>$", "", node.html or "", flags=re.I)
            for child in LexborHTMLParser(inner).css("body *"):
                self.check_element(child, rel)
        if tag == "script":
            self.check_script(node, attrs, rel)
        elif tag == "style":
            self.check_css_text(node.text(deep=True), rel, "<style>", sheet=True)
        elif tag == "meta":
            self.check_meta(attrs, rel)
        if "style" in attrs:
            self.check_css_text(attrs["style"], rel, f"style= on <{tag}>", sheet=False)
        for name, value in attrs.items():
            if name in RESOURCE_ATTRS or (name == "href" and tag not in ("a", "area")):
                self.check_resource(tag, name, value, attrs, rel)
            elif name == "href":
                self.check_link(tag, value, rel)

    def check_link(self, tag: str, value: str, rel: str) -> None:
        found = urls.scheme(value)
        if found is not None and found not in urls.LINK_SCHEMES and found not in ("javascript", "vbscript"):
            self.report(
                rel,
                "link-scheme",
                f"<{tag} href> uses '{found}:'",
                "links may be relative, https://, http://, mailto: or tel:",
                _needle(value),
            )

    def check_resource(self, tag: str, name: str, value: str, attrs: dict, rel: str) -> None:
        if tag == "link" and name == "href":
            rels = set(attrs.get("rel", "").lower().split())
            if rels and rels <= LINK_RELS:
                self.check_link(tag, value, rel)
                return
        if name in ("srcset", "imagesrcset"):
            candidates = [c.strip().split()[0] for c in re.split(r",\s+|,(?=\S)(?![^,]*;base64)", value) if c.strip()]
        elif name in ("ping", "archive"):
            candidates = value.split()
        else:
            candidates = [value]
        for url in candidates:
            found = urls.scheme(url)
            if found == "data" and (tag, name) in DATA_OK:
                continue
            if found in urls.DANGEROUS_SCHEMES:
                self.report(
                    rel,
                    "resource-scheme",
                    f"{found}: URL in {name}= on <{tag}>",
                    "put the file under docs/assets/ and link it relatively",
                    _needle(url),
                )
            elif not urls.is_same_site(url, self.site_url):
                self.report(
                    rel,
                    "remote-resource",
                    f'<{tag} {name}="{_short(url)}"> loads from another site',
                    "the site makes no third-party requests: copy the file into docs/assets/ "
                    "(if its licence allows) and link it relatively, or link to it with <a href>",
                    _needle(url),
                )

    def check_meta(self, attrs: dict, rel: str) -> None:
        equiv = attrs.get("http-equiv", "").strip().lower()
        if equiv == "refresh":
            target = re.split(r"[;,]\s*url\s*=\s*", attrs.get("content", ""), maxsplit=1, flags=re.I)
            url = target[1].strip("'\" ") if len(target) > 1 else ""
            if url and (urls.scheme(url) in urls.DANGEROUS_SCHEMES or not urls.is_same_site(url, self.site_url)):
                self.report(
                    rel,
                    "meta-refresh",
                    f"<meta http-equiv=refresh> sends readers to {_short(url)}",
                    "link to the other page instead of redirecting",
                    "refresh",
                )
        elif equiv in ("set-cookie", "link"):
            self.report(rel, "meta-equiv", f"<meta http-equiv={equiv}>", "remove it", equiv)

    def check_script(self, node, attrs: dict, rel: str) -> None:
        if "src" in attrs:
            src = urls.normalise(attrs["src"])
            if urls.scheme(src) is not None or src.startswith("//"):
                return  # check_resource reports it
            path = src.split("?")[0].split("#")[0]
            prefix = urlsplit(self.site_url or "").path or "/"
            if path.startswith("/"):  # root-relative (the 404 page): under the site's own path
                path = path[len(prefix) :] if path.startswith(prefix) else "../" + path
                target = posixpath.normpath(path)
            else:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), path))
            if target.startswith("../") or not (self.root / target).is_file():
                self.report(
                    rel,
                    "script-missing",
                    f'<script src="{_short(src)}"> is not a file of this site',
                    "load only scripts published with the site",
                    _needle(attrs["src"]),
                )
            return
        if not csp.is_code(node):
            return
        text = node.text(deep=True)
        digest = hashlib.sha256(allowlist.normalise_inline(text).encode("utf-8")).hexdigest()
        if digest not in allowlist.INLINE_SCRIPTS:
            self.report(
                rel,
                "inline-script",
                f"an inline script that is not the theme's own: {_short(text)!r}",
                "pages carry no scripts: put reviewed code in docs/assets/javascripts/ "
                "(see scripts/outputgate/allowlist.py)",
                text.strip()[:30] or "<script",
            )

    def check_page_csp(self, tree, rel: str) -> None:
        metas = tree.css('meta[http-equiv="Content-Security-Policy" i]')
        hint = "build with `make site` / `make offline`, which add the policy (scripts/outputgate/csp.py)"
        if len(metas) != 1:
            self.report(rel, "csp", f"{len(metas)} Content-Security-Policy <meta> tags, not 1", hint)
            return
        meta = metas[0]
        order = [n for n in (tree.head.iter() if tree.head else [])]
        position = next(
            (
                i
                for i, n in enumerate(order)
                if n.tag == "meta" and (n.attributes.get("http-equiv") or "").lower() == "content-security-policy"
            ),
            None,
        )
        first_load = next((i for i, n in enumerate(order) if n.tag in ("script", "link", "style", "base")), len(order))
        if position is None or position > first_load:
            self.report(
                rel,
                "csp",
                "the Content-Security-Policy <meta> is not in <head> before every script and stylesheet",
                hint,
            )
        expected = csp.expected_policy(tree, self.shim_js)
        if (meta.attributes.get("content") or "") != expected:
            self.report(
                rel,
                "csp",
                "the Content-Security-Policy does not match the page's inline scripts",
                hint + f"; expected: {expected}",
            )

    # CSS -------------------------------------------------------------------------------

    def check_css_text(self, text: str, rel: str, where: str, sheet: bool, base: str | None = None) -> None:
        found = css.stylesheet_urls(text) if sheet else css.declaration_urls(text)
        for how, url in found:
            if how == "@import" and not sheet:
                self.report(rel, "css-import", f"@import in {where}", "remove it", "@import")
                continue
            kind = urls.scheme(url)
            if kind == "data" and how != "@import":
                continue
            if kind in urls.DANGEROUS_SCHEMES or not urls.is_same_site(url, self.site_url):
                self.report(
                    rel,
                    "remote-resource",
                    f"{how} in {where} loads {_short(url)!r} from another site",
                    "the site makes no third-party requests: put fonts and images under docs/assets/ "
                    "and use relative URLs",
                    _needle(url),
                )

    def check_css_file(self, raw: bytes, rel: str) -> None:
        digest = hashlib.sha256(raw).hexdigest()
        if digest in _CSS_OK:
            return
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            self.report(rel, "encoding", "not valid UTF-8", "save the stylesheet as UTF-8")
            return
        before = len(self.problems)
        self.check_css_text(text, rel, "the stylesheet", sheet=True)
        if len(self.problems) == before:
            _CSS_OK.add(digest)  # theme stylesheets are the same bytes in every build

    # Scripts ------------------------------------------------------------------------------

    def check_js_file(self, raw: bytes, rel: str) -> None:
        if rel == allowlist.SEARCH_INDEX_JS:
            text = raw.decode("utf-8", errors="replace")
            try:
                ok = text.startswith(allowlist.SEARCH_INDEX_PREFIX) and isinstance(
                    json.loads(text[len(allowlist.SEARCH_INDEX_PREFIX) :]), dict
                )
            except ValueError:
                ok = False
            if not ok:
                self.report(
                    rel,
                    "script",
                    "the offline search index is not `var __index = <JSON>`",
                    "rebuild with `make offline`",
                )
            return
        sources = []
        if rel == allowlist.SHIM_PATH:
            sources.append(self.project / allowlist.SHIM_SOURCE)
        if rel.startswith(allowlist.PROJECT_SCRIPT_DIRS):
            if self.docs_dir is not None:
                sources.append(self.docs_dir / rel)
            sources.append(self.project / "overrides" / rel)
        if self.theme_dir is not None and rel.startswith(allowlist.THEME_SCRIPT_DIRS):
            sources.append(self.theme_dir / rel)
        for source in sources:
            if source.is_file() and not source.is_symlink() and _same_bytes(source, raw):
                return
        self.report(
            rel,
            "script",
            "a script that is neither the theme's, the project's own "
            f"({', '.join('docs/' + d for d in allowlist.PROJECT_SCRIPT_DIRS)}) nor the search shim",
            "put reviewed scripts under docs/assets/javascripts/; never edit theme files in the output",
        )


_CSS_OK: set[str] = set()
_JS_OK: dict[tuple[str, int], str] = {}


def _same_bytes(path: Path, raw: bytes) -> bool:
    key = (str(path), path.stat().st_mtime_ns)
    digest = _JS_OK.get(key)
    if digest is None:
        digest = _JS_OK[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest == hashlib.sha256(raw).hexdigest()


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _needle(value: str) -> str:
    """A piece of the offending value likely to appear as written in the source."""
    value = value.strip()
    return value[:40] if value else value


def source_symlinks(docs_dir: Path) -> list[Problem]:
    """Symbolic links under docs/ that point outside it (they would publish
    files from elsewhere on the machine)."""
    problems = []
    root = Path(docs_dir).resolve()
    for folder, dirs, files in os.walk(docs_dir, followlinks=False):
        for name in dirs + files:
            path = Path(folder) / name
            if path.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(root):
                    shown = os.path.relpath(path)
                    problems.append(
                        Problem(
                            shown,
                            "symlink-outside",
                            f"links to {target}, outside docs/",
                            "copy the file into docs/ instead of linking to it",
                            shown,
                        )
                    )
    return problems


def theme_templates() -> Path | None:
    try:
        import material
    except ImportError:
        return None
    folder = Path(material.__file__).resolve().parent / "templates"
    return folder if folder.is_dir() else None


def check_tree(
    root: Path,
    display: str | None = None,
    project: Path | None = None,
    docs_dir: Path | None = None,
    site_url: str | None = None,
    check_csp: bool = True,
) -> list[Problem]:
    project = project or Path(__file__).resolve().parents[2]
    return Gate(Path(root), display or str(root), project, docs_dir, site_url, theme_templates(), check_csp).run()
