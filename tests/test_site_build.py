"""The site foundation, checked on real builds (hosted and offline)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import frontmatter
import pytest
from bs4 import BeautifulSoup

from conftest import BUILD_ENV, ROOT, built_path, nav_pages
from site_helpers import copy_project

PAGES = nav_pages()
REMOTE = re.compile(r"^(https?:)?//", re.I)


def soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_nav_covers_every_page_and_every_section_has_an_index():
    on_disk = {
        p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md") if "includes" not in p.parts
    }
    assert set(PAGES) == on_disk
    for section in ("causes", "techniques", "safety", "course-planning", "about"):
        assert f"{section}/index.md" in PAGES


@pytest.mark.parametrize("src", PAGES)
def test_every_nav_page_is_built(built_site, src):
    assert (built_site / built_path(src, directory_urls=True)).is_file()


def test_search_index_holds_every_page(built_site):
    index = json.loads((built_site / "search/search_index.json").read_text())
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    for src in PAGES:
        stem = src.removesuffix(".md").removesuffix("index")
        expected = "" if stem == "" else (stem if stem.endswith("/") else stem + "/")
        assert expected in locations, f"{src} missing from the search index"


def test_snippet_folder_is_not_built(built_site):
    assert not (built_site / "includes").exists()


@pytest.mark.parametrize("src", ["index.md", "causes/index.md", "safety/red-flags.md"])
def test_announce_bar_links_to_red_flags(built_site, src):
    page = built_site / built_path(src, directory_urls=True)
    line = soup(page).select_one(".md-banner #emergency-line")
    assert line is not None and "999" in line.get_text() and "111" in line.get_text()
    phones = {a["href"] for a in line.select('a[href^="tel:"]')}
    assert phones == {"tel:999", "tel:111"}, phones
    href = line.select_one("a.emergency-line__flags")["href"]
    target = (page.parent / href).resolve()
    assert (
        target == (built_site / "safety/red-flags/index.html").resolve().parent
        or target == (built_site / "safety/red-flags").resolve()
    )


@pytest.mark.parametrize("src", PAGES)
def test_review_block_and_description_come_from_front_matter(built_site, src):
    meta = frontmatter.load(ROOT / "docs" / src).metadata
    html = soup(built_site / built_path(src, directory_urls=True))
    block = html.select_one("aside.page-review")
    assert block is not None, f"{src}: no review block"
    assert block.select_one(".page-review__reviewed time")["datetime"] == meta["reviewed"].isoformat()
    assert block.select_one(".page-review__next time")["datetime"] == meta["next_review"].isoformat()
    # No clinician has reviewed the site: every page says so, and no page
    # shows the editors as its reviewer (issue #25)
    clinical = " ".join(block.select_one(".page-review__clinical").get_text(" ").split())
    assert clinical.startswith("Not yet reviewed by a clinician"), clinical
    assert "Reviewed by" not in block.get_text(" ") and "Editorial team" not in block.get_text(" ")
    assert html.find("meta", attrs={"name": "description"})["content"] == meta["description"]


@pytest.mark.build
def test_a_review_record_shows_on_its_page_and_a_bad_one_fails_the_build(tmp_path):
    """A fixture reviewer in a copy of the project (the published site has no
    record until a real clinician signs): the page shows the record; a record
    signed off with an open finding fails `make lint` with file, line and fix."""
    work = copy_project(tmp_path / "repo")
    records = work / "docs/includes/reviews.yml"
    record = (
        "  reviews:\n"
        "    - page: safety/red-flags.md\n"
        "      reviewer: {name: Test Reviewer, profession: Physiotherapist, register: HCPC, number: PH000000}\n"
        "      date: 2026-11-30\n"
        "      commit: 0123abcd\n"
        "      scope: whole page\n"
        "      outcome: signed off\n"
        "      next_review: 2027-11-30\n"
        "      findings:\n"
        "        - {text: The cancer line should say straight away., status: fixed}\n"
    )
    records.write_text(records.read_text().replace("  reviews: []\n", record))
    env = {k: v for k, v in BUILD_ENV.items() if k != "OFFLINE"}
    result = subprocess.run(
        [sys.executable, "scripts/build_site.py"], cwd=work, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    block = soup(work / "site/safety/red-flags/index.html").select_one(".page-review__clinical")
    shown = " ".join(block.get_text(" ").split())
    assert "Reviewed by Test Reviewer, Physiotherapist (HCPC PH000000) on 30 November 2026" in shown, shown
    other = soup(work / "site/safety/index.html").select_one(".page-review__clinical")
    assert other.get_text(" ").strip().startswith("Not yet reviewed by a clinician")

    records.write_text(records.read_text().replace("status: fixed", "status: open"))
    lint = subprocess.run(
        [sys.executable, "scripts/lint_pages.py", "docs"], cwd=work, env=env, capture_output=True, text=True
    )
    assert lint.returncode == 1 and "Traceback" not in lint.stderr + lint.stdout
    assert "docs/includes/reviews.yml:" in lint.stdout and "review-record-invalid" in lint.stdout, lint.stdout
    assert "signed off while this finding is still open" in lint.stdout


@pytest.mark.build
def test_page_without_review_keys_still_builds(tmp_path):
    """The template must not need the keys: the lint enforces them."""
    work = copy_project(tmp_path / "repo")
    page = work / "docs/about/index.md"
    page.write_text("# About\n\nNo front matter at all.\n")
    # The lint hook would (rightly) fail this page: switch it off to test the template alone
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(tmp_path / "site")],
        cwd=work,
        env=dict(BUILD_ENV, PAGELINT_HOOK="0"),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert soup(tmp_path / "site/about/index.html").select_one("aside.page-review") is None


# Offline bundle ----------------------------------------------------------------


def test_offline_zip_holds_every_page_search_index_and_local_shim(offline_bundle):
    zip_path, root = offline_bundle
    assert re.fullmatch(r"massage-for-sciatica-offline-[\w.-]+\.zip", zip_path.name)
    for src in PAGES:
        assert (root / built_path(src, directory_urls=False)).is_file(), src
    index_js = (root / "search/search_index.js").read_text()
    assert index_js.startswith("var __index = ")
    assert (root / "assets/javascripts/iframe-worker-shim.js").is_file()
    home = soup(root / "index.html")
    scripts = [s.get("src", "") for s in home.find_all("script")]
    assert "assets/javascripts/iframe-worker-shim.js" in scripts


def test_offline_bundle_references_no_remote_script_style_or_font(offline_bundle):
    _, root = offline_bundle
    for page in root.rglob("*.html"):
        html = soup(page)
        refs = [s.get("src", "") for s in html.find_all("script")]
        refs += [
            l.get("href", "")
            for l in html.find_all("link")
            if set(l.get("rel", [])) & {"stylesheet", "preload", "preconnect", "modulepreload"}
        ]
        remote = [r for r in refs if REMOTE.match(r)]
        assert not remote, f"{page.relative_to(root)} loads {remote}"
    for sheet in root.rglob("*.css"):
        urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", sheet.read_text(encoding="utf-8"))
        assert not [u for u in urls if REMOTE.match(u)], f"{sheet.relative_to(root)} loads remote {urls}"
        assert "@import" not in sheet.read_text(encoding="utf-8")


def test_offline_pages_link_with_html_file_names(offline_bundle):
    _, root = offline_bundle
    line = soup(root / "causes/index.html").select_one("#emergency-line a.emergency-line__flags")
    assert line["href"] == "../safety/red-flags.html"


@pytest.mark.build
def test_failed_offline_build_keeps_the_old_bundle(tmp_path):
    work = copy_project(tmp_path / "repo")
    dist = work / "dist"
    dist.mkdir()
    old = dist / "massage-for-sciatica-offline-old.zip"
    old.write_bytes(b"previous good bundle")
    (work / "docs/index.md").write_text("# Home\n\n[broken](no-such-page.md)\n")
    result = subprocess.run(
        [sys.executable, "scripts/build_offline.py", "--dist", str(dist)],
        cwd=work,
        env=BUILD_ENV,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "no bundle written" in result.stderr + result.stdout
    assert old.read_bytes() == b"previous good bundle"
    assert sorted(p.name for p in dist.iterdir()) == [old.name]


# Whitespace squeezing (overrides/hooks/squeeze_html.py) -------------------------


def test_squeeze_keeps_whitespace_where_it_matters():
    sys.path.insert(0, str(ROOT / "overrides/hooks"))
    from squeeze_html import squeeze

    html = "<p>a\n    b</p>\n\n  <pre>x\n    y</pre>\n <script>f(1);\n  g()</script>  <textarea>q\n  r</textarea>"
    assert (
        squeeze(html) == "<p>a\nb</p>\n<pre>x\n    y</pre>\n<script>f(1);\n  g()</script>  <textarea>q\n  r</textarea>"
    )


def test_built_pages_carry_no_indentation_outside_pre(built_site):
    html = (built_site / "techniques/cupping/index.html").read_text(encoding="utf-8")
    outside_pre = re.sub(r"<(pre|script|textarea)\b.*?</\1>", "", html, flags=re.S)
    assert not re.search(r"\n[ \t]+\S", outside_pre)


def test_sources_list_is_rendered_from_the_registry(built_site):
    """Each page's Sources list comes from its front matter ids and docs/includes/references.yml
    (INHERIT into extra.references): titles, authors, year, a link or DOI, and whether it is free to read."""
    import yaml

    registry = {
        e["id"]: e for e in yaml.safe_load((ROOT / "docs/includes/references.yml").read_text())["extra"]["references"]
    }
    checked = 0
    for src in PAGES:
        ids = frontmatter.load(ROOT / "docs" / src).get("sources") or []
        page = soup(built_site / built_path(src, True))
        section = page.find("section", class_="page-sources")
        if not ids:
            assert section is None, src
            continue
        heading = section.find("h2")
        assert heading.get("id") == "sources" and heading.get_text(strip=True).startswith("Sources"), src
        assert len(page.find_all(id="sources")) == 1, f"{src}: one element with id 'sources'"
        items = section.find_all("li")
        assert [li["data-source-id"] for li in items] == ids, src
        for li, ref_id in zip(items, ids, strict=True):
            entry, text = registry[ref_id], " ".join(li.get_text(" ").split())
            link = f"https://doi.org/{entry['doi']}" if entry.get("doi") else entry["url"]
            assert li.find("a")["href"] == link and li.find("a").get_text() == entry["title"], (src, ref_id)
            for key in ("authors", "year", "journal"):
                assert str(entry.get(key, "")) in text, (src, ref_id, key)
            access = {True: "Free to read.", False: "Not free to read"}.get(entry["free_to_read"], "May not be free")
            assert access in text, (src, ref_id)
            checked += 1
    assert checked > 50


def _unclosed_blocks(css: str) -> int:
    """How many { ... } blocks a stylesheet leaves open (comments and strings aside)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'", "''", css)
    depth = 0
    for char in css:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return depth
    return depth


@pytest.mark.parametrize(
    "name", ["docs/assets/stylesheets/extra.css", "docs/assets/stylesheets/print.css", "scripts/pdf/edition.css"]
)
def test_project_stylesheets_close_every_block(name):
    """A browser closes a block left open at the end of a file without a word:
    a merge that dropped one '}' once put every rule after a phone-only
    @media block inside it, and the glossary card lost its desktop width."""
    css = (ROOT / name).read_text(encoding="utf-8")
    assert _unclosed_blocks(css) == 0, f"{name}: {_unclosed_blocks(css)} block(s) open at the end"
    assert _unclosed_blocks(css + "\n@media print {\n") == 1  # the check can fail
