"""Page lint hardening (issue #15): claims reported at the file and line that
wrote them (page, snippet, glossary, front matter, nav), allow comments
counted in --summary, --fix never through a symlink nor inside a code fence,
with line endings kept and a page that then passes, and symlinks refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from site_helpers import copy_project

LINT = [sys.executable, "scripts/lint_pages.py", "--today", "2026-11-21"]
CORPUS_PAGE = (ROOT / "tests/corpus/good/negations.md").read_text()


@pytest.fixture
def work(tmp_path) -> Path:
    return copy_project(tmp_path / "repo")


def lint(work: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*LINT, *args], cwd=work, capture_output=True, text=True, timeout=300)


def findings(work: Path, *paths: str) -> list[dict]:
    result = lint(work, *paths, "--format", "json")
    assert "Traceback" not in result.stderr, result.stderr
    return json.loads(result.stdout or "[]")


def test_claims_in_a_snippet_glossary_and_nav_are_reported_where_they_were_written(work):
    (work / "docs/includes/disclaimer.md").write_text(
        (work / "docs/includes/disclaimer.md")
        .read_text()
        .replace("advice from a doctor", "advice from a doctor; massage cures")
    )
    glossary = work / "docs/includes/abbreviations.md"
    glossary.write_text(glossary.read_text() + "\n*[sciatica]: Pain that massage heals for good.\n")
    config = work / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("Cupping: techniques/cupping.md", "Cupping cures all: techniques/cupping.md")
    )
    found = {(f["path"], f["rule"]) for f in findings(work, "docs/techniques/cupping.md")}
    assert ("docs/includes/disclaimer.md", "claim-cure") in found
    assert ("docs/includes/abbreviations.md", "claim-heals") in found
    assert ("mkdocs.yml", "claim-cure") in found


def test_allow_comment_keeps_a_claim_and_is_counted_in_the_summary(work):
    page = work / "docs/about/index.md"
    page.write_text(
        page.read_text() + "\n<!-- claim-ok: the title of a leaflet we discuss below -->\n"
        'The leaflet is called "Massage heals".\n'
    )
    result = lint(work, "docs/about/index.md", "--summary")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 claims kept by claim-ok comments" in result.stdout
    page.write_text(page.read_text().replace("<!-- claim-ok: the title of a leaflet we discuss below -->\n", ""))
    assert lint(work, "docs/about/index.md").returncode == 1


def test_fix_refuses_a_symlink_and_leaves_its_target_alone(work, tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text("# Outside\n\nNo disclaimer here.\n")
    link = work / "docs/about/linked.md"
    link.symlink_to(outside)
    result = lint(work, "--fix", "docs/about/linked.md")
    assert "not fixed" in result.stderr and "symbolic link" in result.stderr
    assert outside.read_text() == "# Outside\n\nNo disclaimer here.\n"
    assert any(f["rule"] == "symlink-outside" for f in findings(work, "docs/about/linked.md"))


def test_fix_never_edits_inside_a_code_fence_and_keeps_crlf(work):
    page = work / "docs/about/fenced.md"
    body = "```markdown\r\n# Not the heading\r\n```\r\n\r\n# Real heading\r\n\r\nText.\r\n"
    page.write_bytes(body.encode())
    lint(work, "--fix", "docs/about/fenced.md")
    fixed = page.read_bytes().decode()
    assert "```markdown\r\n# Not the heading\r\n```" in fixed
    assert '# Real heading\r\n\r\n--8<-- "disclaimer.md"\r\n' in fixed
    assert "\n" not in fixed.replace("\r\n", "")


def test_fix_gives_a_page_without_front_matter_or_heading_what_it_needs(work):
    page = work / "docs/about/bare.md"
    page.write_text("Just a sentence.\n")
    lint(work, "--fix", "docs/about/bare.md")
    errors = [f for f in findings(work, "docs/about/bare.md") if f["severity"] == "error"]
    # Only the values a person must write are left: the skeleton's TODOs
    assert {f["rule"] for f in errors} == {"front-matter-placeholder"}, errors
    text = page.read_text()
    assert text.index("# Bare") < text.index('--8<-- "disclaimer.md"') < text.index("Just a sentence.")


@pytest.mark.build
def test_build_refuses_a_symlink_out_of_docs(work, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not for publishing")
    (work / "docs/assets/secret.txt").symlink_to(secret)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(
        [sys.executable, "scripts/build_site.py"], cwd=work, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 1 and "symlink-outside" in result.stderr and "docs/assets/secret.txt" in result.stderr
    assert not (work / "site").exists()
