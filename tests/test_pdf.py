"""The print edition (issue #18): one A4 PDF of the whole guide, made by
scripts/build_pdf.py from the built site and shipped inside the offline bundle.

The PDF read here is the one inside the session's offline bundle (conftest's
`offline_bundle`, built once per session), so these tests also prove that
`make offline` ships it. Text is read back with pypdf. Two builds being
byte-identical is checked in test_reproducible.py (the second offline zip).
"""

from __future__ import annotations

import copy
import difflib
import re
import subprocess
import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import html as lxml_html

from conftest import BUILD_ENV, ROOT, built_path, nav_pages
from site_helpers import build, copy_project

sys.path.insert(0, str(ROOT / "scripts"))
import build_pdf
from pagelint.dom import popovers

pypdf = pytest.importorskip("pypdf")
EMERGENCY = "Call 999 or go to A&E"


def squash(text: str) -> str:
    """Text without any white space: lines break inside long addresses."""
    return re.sub(r"\s+", "", text)


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="session")
def edition_pages(offline_bundle) -> tuple[Path, object, list[str], list[str]]:
    """(the PDF in the bundle, its pypdf reader, the text of each page, the
    body text of each page: see read_page), read once (it takes seconds)."""
    _, root = offline_bundle
    pdfs = sorted(root.glob("massage-for-sciatica-*.pdf"))
    assert len(pdfs) == 1, f"expected one PDF in the bundle's top folder, found {pdfs}"
    reader = pypdf.PdfReader(pdfs[0])
    texts, bodies = zip(*(read_page(page) for page in reader.pages), strict=True)
    return pdfs[0], reader, list(texts), list(bodies)


@pytest.fixture(scope="session")
def edition(edition_pages) -> tuple[Path, object, list[str]]:
    """(the PDF in the bundle, its pypdf reader, the text of each page)."""
    return edition_pages[:3]


def glossary_terms(node) -> list:
    """The glossary terms under node: each a button that opens a definition
    (an element with a `popover` attribute, pagelint.dom.popovers). Page text,
    though a button."""
    ids = {card.get("id") for card in popovers(node)}
    return [el for el in node.iter("button") if el.get("popovertarget") in ids]


def built_article(root: Path, src: str):
    """The built page's <article>, as it is."""
    tree = lxml_html.parse(str(root / built_path(src, directory_urls=False)))
    return tree.xpath("//article[contains(@class, 'md-content__inner')]")[0]


def article(root: Path, src: str):
    """The built page's <article>, without the parts the PDF leaves out
    (its glossary terms kept: their text is printed)."""
    node = built_article(root, src)
    terms = glossary_terms(node)
    for selector in build_pdf.DROP:
        for el in build_pdf.select(node, selector):
            if el not in terms:
                el.getparent().remove(el)
    return node


def title_of(root: Path, src: str) -> str:
    return build_pdf.text_of(article(root, src).find(".//h1"))


def contents_entries(texts: list[str], titles: list[str]) -> dict[str, int]:
    """Page number printed after each title in the contents (page 2 onwards)."""
    start = next(i for i, t in enumerate(texts) if t.lstrip().startswith("Contents"))
    contents = words(" ".join(texts[start : start + 4]))
    found = {}
    for title in titles:
        match = re.search(re.escape(words(title)) + r"[ .]*?(\d+)", contents)
        if match:
            found[title] = int(match.group(1))
    return found


def test_bundle_and_dist_names_share_the_version(offline_bundle, edition):
    zip_path, _ = offline_bundle
    pdf, _, _ = edition
    version = zip_path.stem.removeprefix("massage-for-sciatica-offline-")
    assert pdf.name == f"massage-for-sciatica-{version}.pdf"
    # build_offline.py also leaves a copy beside the zip
    beside = zip_path.parent / pdf.name
    assert beside.is_file() and beside.read_bytes() == pdf.read_bytes()


def test_every_nav_page_is_a_chapter_listed_in_the_contents(offline_bundle, edition):
    _, root = offline_bundle
    _, _, texts = edition
    titles = {src: title_of(root, src) for src in nav_pages()}
    entries = contents_entries(texts, list(titles.values()))
    missing = [t for t in titles.values() if t not in entries]
    assert not missing, f"not in the contents: {missing}"
    for src, title in titles.items():
        page = entries[title]
        assert 3 <= page <= len(texts), f"{title}: page {page} of {len(texts)}"
        # The chapter opens on that page with its title (the running header may come first)
        assert words(title) in words(texts[page - 1])[:300], f"{src}: '{title}' does not open page {page}"
    # In nav order, the glossary last
    pages = [entries[t] for src, t in titles.items() if src != build_pdf.GLOSSARY]
    assert pages == sorted(pages)
    if build_pdf.GLOSSARY in titles:
        assert entries[titles[build_pdf.GLOSSARY]] > max(pages)


def test_emergency_line_and_red_flags_page_number_on_every_page(offline_bundle, edition):
    _, root = offline_bundle
    _, _, texts = edition
    red_flags = title_of(root, "safety/red-flags.md")
    numbers = set()
    for number, text in enumerate(texts, start=1):
        flat = words(text)
        assert EMERGENCY in flat, f"page {number} has no emergency line"
        match = re.search(r"Red flags: page (\d+)\.", flat)
        assert match, f"page {number}: no pointer to the red flags page"
        numbers.add(int(match.group(1)))
    (page,) = numbers
    assert words(red_flags) in words(texts[page - 1])[:300]


def test_every_source_address_is_printed(offline_bundle, edition):
    """Each link to another site in a page's text (its sources included) has
    its address printed, so a reader of paper can find it."""
    _, root = offline_bundle
    _, _, texts = edition
    printed = squash(" ".join(texts))
    missing = []
    checked = 0
    for src in nav_pages():
        for a in article(root, src).iter("a"):
            href = a.get("href", "")
            if href.startswith(("http://", "https://")):
                checked += 1
                if squash(href) not in printed:
                    missing.append(f"{src}: {href}")
    assert checked > 50, "expected the pages to cite many sources"
    assert not missing, f"addresses not printed: {missing[:10]}"
    assert "https://doi.org/" in printed


def test_glossary_definitions_are_not_printed_in_the_text(offline_bundle, edition):
    """A term's first use on a page carries its definition in a popover; on
    paper the term is plain text and the definition is left out (the glossary
    chapter lists every definition, in a table: term and definition in two cells)."""
    _, root = offline_bundle
    _, _, texts = edition
    printed = squash(" ".join(texts)).lower()
    cards, shown = [], []
    for src in nav_pages():
        node = article(root, src)
        for card in node.xpath(".//*[@popover]"):
            dfn = card.find("dfn")
            if dfn is not None and dfn.tail:
                cards.append((src, dfn.text_content(), words(dfn.tail).removeprefix(":").strip()))
            card.drop_tree()
        shown.append(node.text_content())
    # What the pages' own text says may be printed ("DVT: Deep vein thrombosis: a blood clot...")
    shown = squash(" ".join(shown)).lower()
    checked, found = 0, []
    for src, term, definition in cards:
        marked = squash(f"{term}: {definition[:60]}").lower()
        if marked in shown:
            continue
        checked += 1
        if marked in printed:
            found.append(f"{src}: {term}")
    assert checked > len(nav_pages()), "hardly any glossary definitions: the check is vacuous"
    assert not found, f"definitions printed in the text: {found[:10]}"


# The print edition's text against the site's ----------------------------------------
#
# Each chapter of the PDF says what its page says on the site, word for word and
# in order. What a reader reads on the site is the page's <article> text, less:
# - glossary definitions (popovers, pagelint.dom.popovers): on the site they
#   show only when a term is tapped; on paper the glossary chapter has them;
# - the site's interface (SITE_INTERFACE: heading permalinks, the edit icon, the
#   "report a problem" links, <noscript>, form controls other than the glossary
#   terms, which are buttons), and anything [hidden].
# The print edition means to add, and so is allowed to:
# - each link's address to another site after its text, in brackets
#   (edition.css, a[href^="http"]::after), unless the text is the address;
# - ": " after the terms of the review block (.page-review dt::after), which it
#   moves under the title;
# - a table's header row again at the top of each page the table runs on to;
# and the PDF's running header and footer (text in the page margins), list
# bullets and numbers (the site draws them as ::marker) and the labels of
# diagrams (text in an image, as on the site) are not chapter text.
# A line may break with no space, after a hyphen or inside an address: a line
# break is a space, or nothing where the site has the same characters unbroken.

SITE_INTERFACE = (".headerlink", ".md-content__button", ".page-report", "noscript", "form", "input", "select", "button")
# edition.css's @page margin: 20mm 18mm 30mm 18mm (top, bottom), in points
MARGIN_TOP, MARGIN_BOTTOM = 20 * 72 / 25.4, 30 * 72 / 25.4
PT_PER_PX = 0.75
# WeasyPrint draws a list item's marker as text of its own: "• ", "1. "
LIST_MARKER = re.compile(r"(?:[•◦▪]|\d+\.|[a-zA-Z]\.|[ivxlcdm]+\.) ")
BLOCKS = {
    *"address article aside blockquote br dd details div dl dt figcaption figure h1 h2 h3 h4 h5 h6 img li".split(),
    *"nav ol p pre section summary table tbody td tfoot th thead tr ul".split(),
}


def printed_address(a) -> str | None:
    """The address the print edition prints after a link's text, if any."""
    href = a.get("href") or ""
    parts = urlsplit(href)
    if parts.scheme not in ("http", "https"):
        return None
    text = words(a.text_content()).rstrip("/")
    return None if text in (href.rstrip("/"), (parts.netloc + parts.path).rstrip("/")) else href


def site_words(root: Path, src: str) -> tuple[list[str], list[list[str]]]:
    """(The words a reader reads in the page's <article> on the site, with
    what the print edition adds to them; the words of each table header row)."""
    node = copy.deepcopy(built_article(root, src))
    terms = glossary_terms(node)
    for card in list(popovers(node)):
        card.drop_tree()
    for selector in SITE_INTERFACE:
        for el in build_pdf.select(node, selector):
            if el not in terms:
                el.drop_tree()
    for el in node.xpath(".//*[@hidden] | .//script | .//style | .//template"):
        el.drop_tree()
    # The review block under the title, its terms followed by ": "
    for block in build_pdf.select(node, ".page-review"):
        tail = block.tail
        block.drop_tree()
        block.tail = tail
        node.find(".//h1").addnext(block)
        for dt in block.iter("dt"):
            dt.text = (dt.text or "") + ": "
    for a in node.iter("a"):
        if printed_address(a):
            a.append(lxml_html.Element("span"))
            a[-1].text = f" ({printed_address(a)})"
    for el in node.iter():
        if isinstance(el.tag, str) and el.tag in BLOCKS:
            el.text, el.tail = " " + (el.text or ""), " " + (el.tail or "")
    headers = ["".join(row.itertext()).split() for row in node.xpath(".//table/thead/tr")]
    return "".join(node.itertext()).split(), headers


def read_page(page) -> tuple[str, str]:
    """A PDF page's text, and its body text: without its running header and
    footer (what is in the top and bottom page margins), list markers and the
    text of images."""
    height = float(page.mediabox.height)
    # WeasyPrint draws the page in CSS pixels (0.75 pt) from its top left
    # corner; text drawn with any other transformation is inside an image
    page_matrix = (PT_PER_PX, 0, 0, -PT_PER_PX, 0, height)
    kept, inside = [], True

    def visit(text, cm, tm, font, size):
        nonlocal inside
        if text.strip():
            if LIST_MARKER.fullmatch(text) or any(abs(a - b) > 0.01 for a, b in zip(cm, page_matrix, strict=True)):
                return
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]  # the text's baseline on the page, in points
            inside = MARGIN_BOTTOM < y < height - MARGIN_TOP
        if inside:
            kept.append(text)

    return page.extract_text(visitor_text=visit), "".join(kept)


@dataclass
class Printed:
    """A chapter's words in the PDF, and where its lines and pages end."""

    words: list[str]
    line_ends: set[int]  # index of the last word of each line
    page_starts: set[int]  # index of the first word of each page


def printed_words(pages: list[str]) -> Printed:
    printed = Printed([], set(), set())
    for text in pages:
        printed.page_starts.add(len(printed.words))
        for line in text.splitlines():
            printed.words.extend(line.split())
            printed.line_ends.add(len(printed.words) - 1)
    return printed


def broken_at_line_ends(site: list[str], pdf: list[str], first: int, printed: Printed) -> bool:
    """Whether pdf (printed.words from index first) is site with some words
    broken across lines, no space at the break."""
    rest = ""
    for n, word in enumerate(pdf, start=first):
        if not rest:
            if not site:
                return False
            rest, site = site[0], site[1:]
        if not rest.startswith(word) or (word != rest and n not in printed.line_ends):
            return False
        rest = rest[len(word) :]
    return not rest and not site


def differences(site: list[str], headers: list[list[str]], printed: Printed) -> list[tuple]:
    """The opcodes of difflib that the print edition does not mean."""
    if site == printed.words:
        return []
    pdf = printed.words
    found = []
    for op in difflib.SequenceMatcher(None, site, pdf, autojunk=False).get_opcodes():
        tag, i1, i2, j1, j2 = op
        if tag == "equal":
            continue
        if tag == "replace" and broken_at_line_ends(site[i1:i2], pdf[j1:j2], j1, printed):
            continue
        if (
            tag == "insert"
            and j1 in printed.page_starts
            and any(broken_at_line_ends(row, pdf[j1:j2], j1, printed) for row in headers)
        ):
            continue
        found.append(op)
    return found


def word_diff(site: list[str], pdf: list[str], ops: list[tuple], limit: int = 6) -> list[str]:
    """Each difference in a few words of the site's text: [-the site's words-]
    [+the PDF's words+]."""
    out = []
    for _, i1, i2, j1, j2 in ops[:limit]:
        lost = f"[-{' '.join(site[i1:i2])}-]" if i2 > i1 else ""
        added = f"[+{' '.join(pdf[j1:j2])}+]" if j2 > j1 else ""
        out.append(f"    ...{' '.join(site[max(0, i1 - 6) : i1])} {lost}{added} {' '.join(site[i2 : i2 + 6])}...")
    return out + ([f"    and {len(ops) - limit} more"] if len(ops) > limit else [])


def test_every_page_prints_the_words_a_reader_reads_on_the_site(offline_bundle, edition_pages):
    """Each chapter's text in the PDF is its page's text on the site (in the
    offline bundle the PDF was made from), word for word and in order: nothing
    lost, nothing added but what the print edition means to (see above)."""
    _, root = offline_bundle
    _, _, texts, bodies = edition_pages
    titles = {src: title_of(root, src) for src in nav_pages()}
    assert len(set(titles.values())) == len(titles), "two pages share a title: their chapters cannot be told apart"
    entries = contents_entries(texts, list(titles.values()))
    starts = sorted((entries[title], src) for src, title in titles.items())
    problems = []
    for (start, src), (end, _) in zip(starts, starts[1:] + [(len(texts) + 1, "")], strict=True):
        site, headers = site_words(root, src)
        printed = printed_words(bodies[start - 1 : end - 1])
        ops = differences(site, headers, printed)
        if ops:
            problems.append([f"docs/{src} (PDF pages {start}-{end - 1}):", *word_diff(site, printed.words, ops)])
    assert not problems, (
        f"{len(problems)} page(s) of the PDF do not say what the site says ([-only on the site-] [+only in the PDF+]):\n"
        + "\n".join(line for page in problems[:10] for line in page)
        + (f"\nand {len(problems) - 10} more pages" if len(problems) > 10 else "")
    )


def test_cover_says_edition_review_status_and_licence(edition):
    _, _, texts = edition
    cover = words(texts[0])
    assert "Massage for sciatica" in cover and "print edition" in cover.lower()
    assert re.search(r"Edition \d{1,2} \w+ \d{4}", cover)
    assert "Review status" in cover and "next review is due" in cover
    assert "CC BY-SA 4.0" in cover


def test_pdf_is_tagged_titled_a4_with_embedded_fonts_and_links(offline_bundle, edition):
    pdf, reader, _ = edition
    root = reader.trailer["/Root"]
    assert root.get("/Lang") == "en"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    info = reader.metadata
    assert info.title.startswith("Massage for sciatica")
    epoch = int(BUILD_ENV["SOURCE_DATE_EPOCH"])
    assert info.creation_date.timestamp() == epoch and info.modification_date.timestamp() == epoch
    fonts, uris, internal = set(), set(), 0
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842), "not A4"
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), f"{font['/BaseFont']} not embedded"
            fonts.add(str(font["/BaseFont"]).split("+", 1)[-1])
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action and "/URI" in action:
                uris.add(str(action["/URI"]))
            elif annot.get_object().get("/Dest") or (action and "/D" in action):
                internal += 1
    # Only the fonts named in edition.css (DejaVu files) or DejaVu through the SVG diagrams
    assert fonts and all(name.startswith(("Edition-", "DejaVu")) for name in fonts), fonts
    assert any(u.startswith("https://doi.org/") for u in uris), "no clickable source links"
    assert internal > 20, "contents and cross-references should be clickable"


# No network -------------------------------------------------------------------------


@pytest.fixture
def counting_server():
    """A local server that counts the requests it is sent (none are expected)."""
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def test_fetcher_reads_only_local_files(tmp_path, counting_server):
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    base, hits = counting_server
    allowed = tmp_path / "site"
    allowed.mkdir()
    (allowed / "ok.css").write_text("p { color: red }")
    (tmp_path / "secret.txt").write_text("not for the PDF")
    fetcher = build_pdf.local_fetcher([allowed])
    assert fetcher((allowed / "ok.css").as_uri()).read() == b"p { color: red }"
    for url in (f"{base}/x.png", "https://example.org/x.png", (tmp_path / "secret.txt").as_uri()):
        with pytest.raises(FatalURLFetchingError, match="fetches nothing from the network"):
            fetcher(url)
    # Through WeasyPrint, an image and a stylesheet address on a server stop the render
    for markup in (f'<img src="{base}/a.png">', f'<p style="background: url({base}/b.png)">x</p>'):
        with pytest.raises(FatalURLFetchingError):
            weasyprint.HTML(
                string=markup, base_url=allowed.as_uri() + "/", url_fetcher=build_pdf.local_fetcher([allowed])
            ).write_pdf()
    assert hits == [], f"the PDF build sent requests: {hits}"


@pytest.mark.build
def test_remote_image_in_a_page_fails_the_build_with_a_clear_message(tmp_path):
    work = copy_project(tmp_path / "project")
    page = work / "docs/techniques/cupping.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\n![A remote picture](https://example.org/cups.png)\n", encoding="utf-8"
    )
    site = build(work, tmp_path / "site", strict=False)
    dist = tmp_path / "dist"
    result = subprocess.run(
        [sys.executable, "scripts/build_pdf.py", "--site", str(site), "--dist", str(dist)],
        cwd=work,
        env=BUILD_ENV,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "docs/techniques/cupping.md" in result.stderr
    assert "https://example.org/cups.png" in result.stderr
    assert "fetches nothing from the network" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(dist.glob("*.pdf")) and not list(dist.glob(".*partial"))


# A new page ----------------------------------------------------------------------------


def keep_nav(config_text: str, keep: set[str]) -> str:
    """mkdocs.yml with only the nav entries whose page is in keep (sections kept
    when they still hold a page): a small book builds in seconds."""
    lines = config_text.splitlines()
    start = lines.index("nav:")
    end = next((i for i in range(start + 1, len(lines)) if lines[i] and not lines[i][0].isspace()), len(lines))
    nav = []
    for line in lines[start + 1 : end]:
        page = re.search(r"(\S+\.md)\s*$", line)
        if page is None or page.group(1) in keep:
            nav.append(line)
    # Drop section headings left empty
    kept = [
        line
        for i, line in enumerate(nav)
        if ".md" in line
        or (i + 1 < len(nav) and len(nav[i + 1]) - len(nav[i + 1].lstrip()) > len(line) - len(line.lstrip()))
    ]
    return "\n".join(lines[: start + 1] + kept + lines[end:]) + "\n"


@pytest.mark.build
def test_a_page_added_to_the_nav_is_a_chapter(tmp_path):
    work = copy_project(tmp_path / "project")
    made = subprocess.run(
        [sys.executable, "scripts/new_page.py", "--section", "techniques", "--title", "Hot stone massage"],
        cwd=work,
        env=BUILD_ENV,
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    config = work / "mkdocs.yml"
    config.write_text(
        keep_nav(
            config.read_text(encoding="utf-8"), {"index.md", "safety/red-flags.md", "techniques/hot-stone-massage.md"}
        ),
        encoding="utf-8",
    )
    site = build(work, tmp_path / "site", strict=False)
    dist = tmp_path / "dist"
    result = subprocess.run(
        [sys.executable, "scripts/build_pdf.py", "--site", str(site), "--dist", str(dist), "--version", "test"],
        cwd=work,
        env=BUILD_ENV,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    texts = [p.extract_text() for p in pypdf.PdfReader(dist / "massage-for-sciatica-test.pdf").pages]
    entries = contents_entries(texts, ["Hot stone massage"])
    assert "Hot stone massage" in entries, "the new page is not in the contents"
    assert "Hot stone massage" in words(texts[entries["Hot stone massage"] - 1])[:300]
    assert all(EMERGENCY in words(t) for t in texts)
