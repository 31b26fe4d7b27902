"""Build the print edition: the whole guide as one A4 PDF (make pdf).

The PDF is made from the built site's HTML, so snippets, the glossary and the
urgency cards are exactly what readers see online. Every page of the nav, in
nav order, becomes a chapter that starts on a new page (the glossary last);
a cover and a contents list with page numbers come first. WeasyPrint lays it
out with scripts/pdf/edition.css; the emergency line from the site's banner
and the red flags page's number are in the footer of every printed page.

No network: the URL fetcher reads only files of the built site and the font
files, and a page that refers to anything else stops the build with a
message naming the page. Fonts come from Debian's fonts-dejavu-core by file
path, so the PDF looks the same on any machine that builds it. Two builds of
one commit are byte-identical (dates from SOURCE_DATE_EPOCH, a fixed file
identifier). The file is written under a temporary name and moved into place
only when complete.

Usage: python scripts/build_pdf.py [--dist dist] [--version 1.2.0] [--site DIR]
Exit status: 0 written, 1 the build failed (nothing written), 2 set-up problem.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import html as html_lib
import logging
import os
import posixpath
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

SCRIPTS = Path(__file__).resolve().parent
sys.path.insert(0, str(SCRIPTS))
import build_offline  # noqa: E402  (one place for the name, version and date)
from pagelint.dom import popovers  # noqa: E402  (what counts as a glossary definition)

ROOT = build_offline.ROOT
NAME = build_offline.NAME
STYLESHEET = SCRIPTS / "pdf" / "edition.css"
# Debian's fonts-dejavu-core (installed by .ci/run): embedded by path, never
# whatever fonts a machine happens to have
FONT_DIR = Path(os.environ.get("PDF_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))
FONTS = {
    ("Edition Sans", "normal", "normal"): "DejaVuSans.ttf",
    ("Edition Sans", "bold", "normal"): "DejaVuSans-Bold.ttf",
    ("Edition Sans", "normal", "italic"): "DejaVuSans-Oblique.ttf",
    ("Edition Sans", "bold", "italic"): "DejaVuSans-BoldOblique.ttf",
    ("Edition Mono", "normal", "normal"): "DejaVuSansMono.ttf",
}
# Printed last, whatever its place in the nav
GLOSSARY = "about/glossary.md"
LICENCE = (
    "Content: Creative Commons Attribution-ShareAlike 4.0 (CC BY-SA 4.0), "
    "https://creativecommons.org/licenses/by-sa/4.0/"
)
# Parts of a built page that make no sense on paper. A glossary term is a
# button too, but its text is the page's: plain_glossary_terms() unwraps the
# terms first, so "button" here drops only the interface's own buttons
DROP = (
    ".headerlink",
    ".md-content__button",
    ".page-report",
    "script",
    "noscript",
    "form",
    "button",
    "input",
    "template",
)


class PdfError(Exception):
    """The PDF cannot be made; the message says where and what to do."""


# The nav and the built pages ------------------------------------------------------


@dataclass
class Chapter:
    src: str  # docs-relative source, e.g. techniques/cupping.md
    section: str  # nav section title ("" for top-level pages)
    built: str = ""  # site-relative built file
    pid: str = ""  # id of the chapter in the PDF
    title: str = ""
    body: object = None  # the page's <article>, rewritten
    reviewed: str = ""  # ISO dates from the review block
    next_review: str = ""


def nav_chapters(config_file: Path) -> tuple[list[Chapter], dict]:
    """Every page of mkdocs.yml's nav in order, with its section title."""
    from mkdocs.config import load_config

    config = load_config(str(config_file))
    chapters: list[Chapter] = []

    def walk(items, section: str) -> None:
        for item in items:
            title, value = next(iter(item.items())) if isinstance(item, dict) else (None, item)
            if isinstance(value, list):
                walk(value, section or title or "")
            elif isinstance(value, str) and not urlsplit(value).scheme:
                chapters.append(Chapter(src=value, section=section))

    walk(config["nav"] or [], "")
    glossary = [c for c in chapters if c.src == GLOSSARY]
    chapters = [c for c in chapters if c.src != GLOSSARY] + glossary
    return chapters, config


def built_path(src: str, directory_urls: bool) -> str:
    stem = src.removesuffix(".md")
    if directory_urls and stem != "index" and not stem.endswith("/index"):
        return f"{stem}/index.html"
    return f"{stem}.html"


def chapter_id(src: str) -> str:
    return "p-" + re.sub(r"[^a-z0-9]+", "-", src.removesuffix(".md").lower()).strip("-")


def select(element, selector: str) -> list:
    """Elements under element matching a tag name or one ".class"."""
    if selector.startswith("."):
        return element.xpath(f".//*[contains(concat(' ', normalize-space(@class), ' '), ' {selector[1:]} ')]")
    return element.xpath(f".//{selector}")


def text_of(element) -> str:
    return " ".join("".join(element.itertext()).split())


def _is_remote(url: str) -> bool:
    scheme = urlsplit(url).scheme.lower()
    return bool(scheme) and scheme not in ("file", "data") or url.startswith("//")


def plain_glossary_terms(article) -> None:
    """Glossary popovers do nothing on paper (the glossary is the last
    chapter): each definition (an element with a `popover` attribute,
    pagelint.dom.popovers) goes, its tail kept, and the term that opened it (a
    button whose popovertarget names it; an <abbr>, where one is left) becomes
    plain text, one inline box fewer for WeasyPrint to lay out each. Must run
    before DROP removes the page's other buttons, or the terms go with them."""
    definitions = list(popovers(article))
    ids = {el.get("id") for el in definitions if el.get("id")}
    for definition in definitions:
        definition.drop_tree()
    for term in [el for el in article.iter("button", "abbr") if el.tag == "abbr" or el.get("popovertarget") in ids]:
        term.drop_tag()


def load_chapters(site: Path, chapters: list[Chapter], site_url: str) -> None:
    """Read each built page and rewrite it into a chapter of the book."""
    from lxml import html

    by_built: dict[str, Chapter] = {}
    for ch in chapters:
        for candidate in (built_path(ch.src, False), built_path(ch.src, True)):
            if (site / candidate).is_file():
                ch.built = candidate
                break
        else:
            raise PdfError(
                f"docs/{ch.src}: in the nav but not in the built site {site} "
                f"(no {built_path(ch.src, False)} or {built_path(ch.src, True)})"
            )
        ch.pid = chapter_id(ch.src)
        by_built[ch.built] = ch

    for ch in chapters:
        tree = html.parse(str(site / ch.built))
        articles = tree.xpath("//article[contains(concat(' ', @class, ' '), ' md-content__inner ')]")
        if not articles:
            raise PdfError(f"docs/{ch.src}: the built page {ch.built} has no <article class=md-content__inner>")
        article = articles[0]
        # Before DROP, which removes every button: a glossary term is one
        plain_glossary_terms(article)
        for selector in DROP:
            for el in select(article, selector):
                el.drop_tree() if el.tail and el.tail.strip() else el.getparent().remove(el)
        h1 = article.find(".//h1")
        if h1 is None:
            raise PdfError(f"docs/{ch.src}: the page has no # title")
        ch.title = text_of(h1)
        # Review dates under the title, where a reader of paper looks first
        review = select(article, ".page-review")
        if review:
            block = review[0]
            block.getparent().remove(block)
            block.tail = None
            h1.addnext(block)
            for attr, cls in (("reviewed", "page-review__reviewed"), ("next_review", "page-review__next")):
                found = [t for t in select(block, f".{cls}") for t in t.iter("time")]
                setattr(ch, attr, found[0].get("datetime", "") if found else "")
        _rewrite(article, ch, by_built, site, site_url)
        article.tag = "section"
        article.attrib.clear()
        article.set("class", "chapter")
        article.set("id", ch.pid)
        article.set("data-section", ch.section)
        ch.body = article


def _rewrite(article, ch: Chapter, by_built: dict[str, Chapter], site: Path, site_url: str) -> None:
    """Ids made unique per chapter; links to other pages point into the book."""
    base = posixpath.dirname(ch.built)
    for el in article.iter():
        if not isinstance(el.tag, str):
            continue
        if el.get("id"):
            el.set("id", f"{ch.pid}--{el.get('id')}")
        for attr in ("src", "srcset", "data", "poster"):
            value = el.get(attr)
            if value and _is_remote(value.strip().split()[0]):
                raise PdfError(
                    f'docs/{ch.src}: <{el.tag} {attr}="{value}"> refers to another site; '
                    "the print edition fetches nothing from the network: keep a copy of the "
                    "file under docs/assets/ and refer to that"
                )
        style = el.get("style") or ""
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", style):
            if _is_remote(url):
                raise PdfError(
                    f"docs/{ch.src}: a style attribute refers to {url}; the print edition "
                    "fetches nothing from the network"
                )
        if el.tag == "img" and el.get("src"):
            target = posixpath.normpath(posixpath.join(base, unquote(urlsplit(el.get("src")).path)))
            el.set("src", (site / target).as_uri())
        if el.tag != "a" or not el.get("href"):
            continue
        href = el.get("href")
        parts = urlsplit(href)
        if parts.scheme or href.startswith("//"):
            if parts.scheme in ("http", "https") and text_of(el).rstrip("/") in (
                href.rstrip("/"),
                parts.netloc + parts.path.rstrip("/"),
            ):
                el.set("class", (el.get("class", "") + " pdf-bare").strip())
            continue
        if not parts.path:
            el.set("href", f"#{ch.pid}--{parts.fragment}" if parts.fragment else f"#{ch.pid}")
            el.set("class", (el.get("class", "") + " pdf-internal").strip())
            continue
        target = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
        candidates = [target, posixpath.join(target, "index.html"), target + ".html"]
        chapter = next((by_built[c] for c in candidates if c in by_built), None)
        if chapter is not None:
            el.set("href", f"#{chapter.pid}--{parts.fragment}" if parts.fragment else f"#{chapter.pid}")
            el.set("class", (el.get("class", "") + " pdf-internal").strip())
        else:
            # A file of the site that is not a chapter: its address on the hosted site
            el.set("href", site_url.rstrip("/") + "/" + target.removesuffix("index.html"))


# The book ------------------------------------------------------------------------


def emergency_line(site: Path, chapters: list[Chapter]) -> tuple[str, Chapter]:
    """The site banner's emergency line (its text, without the link) and the
    chapter that link points to (the red flags page)."""
    from lxml import html

    tree = html.parse(str(site / "index.html"))
    found = tree.xpath("//*[@id='emergency-line']") or tree.xpath(
        "//*[contains(concat(' ', @class, ' '), ' md-banner ')]"
    )
    if not found:
        raise PdfError(
            "overrides/main.html: the built home page has no emergency line "
            "(an element with id=emergency-line in the announce block)"
        )
    line = copy.deepcopy(found[0])
    target = None
    for a in line.iter("a"):
        href = a.get("href", "")
        if urlsplit(href).scheme:
            continue  # tel: links keep their text ("999")
        target = posixpath.normpath(unquote(urlsplit(href).path))
        a.drop_tree()
    by_built = {c.built: c for c in chapters}
    red_flags = None
    if target:
        red_flags = next(
            (
                by_built[c]
                for c in (target, posixpath.join(target, "index.html"), target.rstrip("/") + ".html")
                if c in by_built
            ),
            None,
        )
    if red_flags is None:
        raise PdfError(
            "overrides/main.html: the emergency line must link to the red flags page, which must be in the nav"
        )
    return text_of(line), red_flags


def _date(iso: str) -> str:
    return time.strftime("%-d %B %Y", time.strptime(iso, "%Y-%m-%d")) if iso else ""


def css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def font_css() -> str:
    rules = []
    for (family, weight, style), filename in FONTS.items():
        path = FONT_DIR / filename
        if not path.is_file():
            raise PdfError(
                f"font file {path} is missing: install Debian's fonts-dejavu-core "
                "(`apt-get install fonts-dejavu-core`; .ci/run does it)"
            )
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
            f'font-style: {style}; src: url("{path.as_uri()}"); }}'
        )
    return "\n".join(rules)


def assemble(chapters: list[Chapter], config, epoch: int, version: str, line: str, red_flags: Chapter) -> str:
    from lxml import html

    e = html_lib.escape
    site_name = config["site_name"]
    edition = time.strftime("%-d %B %Y", time.gmtime(epoch))
    iso = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
    reviewed = sorted(c.reviewed for c in chapters if c.reviewed)
    due = sorted(c.next_review for c in chapters if c.next_review)
    overdue = [c for c in chapters if c.next_review and c.next_review < time.strftime("%Y-%m-%d", time.gmtime(epoch))]
    status = [
        f"Every page was checked by the editorial team. {len(reviewed)} of {len(chapters)} pages carry review dates"
    ]
    if reviewed:
        status[0] += f", last reviewed between {_date(reviewed[0])} and {_date(reviewed[-1])}"
    status[0] += "."
    if due:
        status.append(
            f"The first next review is due on {_date(due[0])}. After that date, check the website for a newer edition."
        )
    if overdue:
        status.append(f"{len(overdue)} page(s) were past their review date when this edition was made.")

    contents, section = [], None
    for ch in chapters:
        if ch.section != section:
            if section is not None:
                contents.append("</ol></li>")
            section = ch.section
            if section:
                contents.append(f'<li class="toc-section"><span>{e(section)}</span><ol>')
            else:
                contents.append('<li class="toc-section toc-section--none"><ol>')
        contents.append(f'<li><a href="#{ch.pid}">{e(ch.title)}</a></li>')
    if section is not None:
        contents.append("</ol></li>")

    body = [
        '<section class="cover" id="cover">',
        '<p class="cover__kicker">Print edition</p>',
        f'<h1 class="cover__title">{e(site_name)}</h1>',
        f'<p class="cover__description">{e(" ".join(str(config["site_description"] or "").split()))}</p>',
        '<dl class="cover__facts">',
        f"<dt>Edition</dt><dd>{e(edition)} (version {e(version)})</dd>",
        f"<dt>Review status</dt><dd>{e(' '.join(status))}</dd>",
        f"<dt>Licence</dt><dd>{e(LICENCE)}</dd>",
        f"<dt>Online</dt><dd>{e(config['site_url'] or '')}</dd>",
        "</dl>",
        '<p class="cover__notice">General information, not a substitute for advice from a clinician '
        "who knows you. Health advice changes: this printed copy does not update itself.</p>",
        f'<p class="cover__emergency">{e(line)} The red flags are on page '
        f'<a class="pdf-page-ref" href="#{red_flags.pid}"></a>.</p>',
        "</section>",
        '<nav class="contents" id="contents" aria-label="Contents"><h1>Contents</h1>',
        f"<ol>{''.join(contents)}</ol></nav>",
    ]
    page_html = "\n".join(body) + "\n" + "\n".join(html.tostring(ch.body, encoding="unicode") for ch in chapters)
    styles = "\n".join(
        (
            font_css(),
            STYLESHEET.read_text(encoding="utf-8"),
            # The emergency line, as the site's banner says it, with the red flags page number
            f'@page {{ @bottom-left {{ content: {css_string(line)} " Red flags: page " '
            f'target-counter("#{red_flags.pid}", page) "."; }} }}',
        )
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{e(config["theme"]["language"] or "en")}"><head><meta charset="utf-8">'
        f"<title>{e(site_name)}: print edition, {e(edition)}</title>"
        f'<meta name="author" content="{e(config["site_author"] or "")}">'
        f'<meta name="description" content="{e(" ".join(str(config["site_description"] or "").split()))}">'
        f'<meta name="dcterms.created" content="{iso}">'
        f'<meta name="dcterms.modified" content="{iso}">'
        f"<style>\n{styles}\n</style></head><body>\n{page_html}\n</body></html>\n"
    )


# Rendering, with no network -------------------------------------------------------


def local_fetcher(allowed: list[Path]):
    """A WeasyPrint URL fetcher that reads only files under `allowed`."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    roots = [p.resolve() for p in allowed]

    class LocalOnly(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file":
                path = Path(unquote(parts.path)).resolve()
                if any(path.is_relative_to(root) for root in roots):
                    return super().fetch(url, headers)
            raise FatalURLFetchingError(
                f"the PDF refers to {url}, which is not a file of the built site or a font; "
                "the print edition fetches nothing from the network (keep a copy under docs/assets/)"
            )

    return LocalOnly(allowed_protocols=("file", "data"), fail_on_errors=True)


def render(site: Path, target: Path, epoch: int, version: str, config_file: Path = ROOT / "mkdocs.yml") -> int:
    """Write the PDF of the built site to target (via target.partial); its page count."""
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    chapters, config = nav_chapters(config_file)
    load_chapters(site, chapters, config["site_url"] or "")
    line, red_flags = emergency_line(site, chapters)
    source = assemble(chapters, config, epoch, version, line, red_flags)

    partial = target.with_name(f".{target.name}.partial")
    # WeasyPrint reports what it cannot use (an unknown CSS property, a missing
    # image) as warnings: on a print edition those are errors
    problems: list[str] = []
    handler = _Collect(problems)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        fetcher = local_fetcher([site, FONT_DIR])
        document = weasyprint.HTML(string=source, base_url=site.as_uri() + "/", url_fetcher=fetcher).render()
        if problems:
            raise PdfError("WeasyPrint could not use everything:\n  " + "\n  ".join(problems))
        identifier = hashlib.sha256(f"{NAME} {version} {epoch}".encode()).hexdigest()[:32].encode()
        document.write_pdf(partial, pdf_variant="pdf/ua-1", pdf_identifier=identifier)
        os.replace(partial, target)
    except FatalURLFetchingError as exc:
        raise PdfError(str(exc)) from None
    finally:
        logger.removeHandler(handler)
        partial.unlink(missing_ok=True)
    return len(document.pages)


class _Collect(logging.Handler):
    def __init__(self, sink: list[str]):
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record):
        self.sink.append(record.getMessage())


def pdf_name(version: str) -> str:
    return f"{NAME}-{version}.pdf"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    parser.add_argument("--version", help="version in the file name (default: git tag or commit date)")
    parser.add_argument("--site", type=Path, help="a built site to use, hosted or offline (default: build one)")
    args = parser.parse_args(argv)

    epoch = build_offline.source_date_epoch()
    version = args.version or build_offline.bundle_version(epoch)
    args.dist.mkdir(parents=True, exist_ok=True)
    final = args.dist / pdf_name(version)
    start = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="pdf-") as tmp:
            site = args.site
            if site is None:
                site = Path(tmp) / "site"
                build_offline.build_site(site, epoch, offline=False)
            pages = render(site, final, epoch, version)
    except PdfError as exc:
        final.unlink(missing_ok=True)
        print(f"build_pdf: {exc}\nbuild_pdf: no PDF written", file=sys.stderr)
        return 1
    except ImportError as exc:
        print(
            f"build_pdf: {exc}: run `make pdf` (it installs requirements.txt); WeasyPrint also "
            "needs Debian's libpango-1.0-0 and libpangoft2-1.0-0",
            file=sys.stderr,
        )
        return 2
    except OSError as exc:
        if "pango" in str(exc).lower() or "gobject" in str(exc).lower():
            print(
                f"build_pdf: {exc}: install Debian's libpango-1.0-0 and libpangoft2-1.0-0 (.ci/run does it)",
                file=sys.stderr,
            )
            return 2
        raise
    for old in args.dist.glob(f"{NAME}-*.pdf"):
        if old != final:
            old.unlink()
    shown = final.relative_to(ROOT) if final.is_relative_to(ROOT) else final
    print(f"{shown} ({pages} pages, {final.stat().st_size / 1024:.0f} KiB, {time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
