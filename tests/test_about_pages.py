"""scripts/about_pages.py: the generated parts of about/sources.md and
about/glossary.md are up to date, and --check catches what it should."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

SCRIPT = ROOT / "scripts/about_pages.py"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture
def docs(tmp_path):
    """A throwaway copy of docs/ to break on purpose."""
    copy = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", copy)
    return copy


def test_check_passes_on_the_real_docs():
    result = run("--check")
    assert result.returncode == 0, result.stderr


def test_check_fails_when_a_page_cites_an_unknown_source(docs):
    page = docs / "techniques/cupping.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("sources: [", "sources: [nobody-2099, ", 1), encoding="utf-8")
    result = run("--check", "--docs", str(docs))
    assert result.returncode == 1
    assert "techniques/cupping.md" in result.stderr
    assert "'nobody-2099'" in result.stderr


def test_cited_by_lists_the_pages_that_cite_an_id(docs):
    page = docs / "techniques/cupping.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("sources: [", "sources: [kenhub-sciatic-nerve, ", 1), encoding="utf-8"
    )
    assert run("--docs", str(docs)).returncode == 0
    text = (docs / "about/sources.md").read_text(encoding="utf-8")
    entry = text.split("{ #kenhub-sciatic-nerve }", 1)[1].split("\n### ", 1)[0]
    assert "[Cupping](../techniques/cupping.md)" in entry


def test_check_fails_when_the_references_are_stale(docs):
    registry = docs / "includes/references.yml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace(
            "kind: Guideline (UK, National Institute for Health and Care Excellence)", "kind: Guideline (UK)", 1
        ),
        encoding="utf-8",
    )
    result = run("--check", "--docs", str(docs))
    assert result.returncode == 1
    assert "about/sources.md is out of date" in result.stderr


def test_check_fails_when_the_glossary_is_stale(docs):
    with (docs / "includes/abbreviations.md").open("a", encoding="utf-8") as f:
        f.write("*[zygapophysis]: A made-up entry for this test.\n")
    result = run("--check", "--docs", str(docs))
    assert result.returncode == 1
    assert "about/glossary.md is out of date" in result.stderr


def test_generate_then_check_passes(docs):
    with (docs / "includes/abbreviations.md").open("a", encoding="utf-8") as f:
        f.write("*[zygapophysis]: A made-up entry for this test.\n")
    assert run("--docs", str(docs)).returncode == 0
    assert "| zygapophysis | A made-up entry for this test. |" in (docs / "about/glossary.md").read_text()
    assert run("--check", "--docs", str(docs)).returncode == 0


def test_source_keys_match_across_spellings():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from about_pages import source_key
    finally:
        sys.path.pop(0)
    assert source_key({"doi": "10.7326/M16-2367"}) == source_key({"url": "https://doi.org/10.7326/m16-2367"})
    assert source_key({"url": "https://www.nhs.uk/conditions/sciatica/"}) == source_key(
        {"url": "http://nhs.uk/conditions/sciatica"}
    )
