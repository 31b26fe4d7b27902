"""The bad/good corpus (issue #15): every bad page fails closed, every good
page passes, each with a message naming the file.

tests/corpus/bad/<class>/*.md are pages an attacker or a careless
contributor might write (front-matter markup, remote resources, scripts,
hidden disclaimers, absolute claims, inputs that crash or hang tools);
tests/corpus/good/*.md are the false positives that must pass. The pages
are put into docs/about/ of one project copy and checked in batches:
one lint run over all of them, one build of the good pages (it must pass
lint, build and the output gate), one build of the bad pages the lint lets
through (the build and gate must refuse each by name) and one of the pages
that must be refused before MkDocs reads them (limits, aliases, encoding)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import BUILD_ENV, ROOT
from site_helpers import copy_project

CORPUS = ROOT / "tests/corpus"
BAD = sorted(CORPUS.glob("bad/*/*.md"))
GOOD = sorted(CORPUS.glob("good/*.md"))
LINT_TODAY = "2026-11-21"


def _name(path: Path) -> str:
    kind = "good" if path.parent.name == "good" else path.parent.name
    return f"corpus-{kind}-{path.stem}.md"


def _place(work: Path, pages: list[Path]) -> None:
    for page in pages:
        shutil.copyfile(page, work / "docs/about" / _name(page))
    # Corpus pages are not in the nav; a strict build would refuse them for that alone
    config = work / "mkdocs.yml"
    config.write_text(config.read_text() + "\nnot_in_nav: |\n  /about/corpus-*\n")


def _build(work: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in BUILD_ENV.items() if k != "OFFLINE"}
    return subprocess.run(
        [sys.executable, "scripts/build_site.py"], cwd=work, env=env, capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def linted(tmp_path_factory):
    """One lint run over every corpus page: {file name: [finding, ...]}."""
    work = copy_project(tmp_path_factory.mktemp("corpus-lint") / "repo")
    _place(work, BAD + GOOD)
    # A seed article to check seed-quote markers against (copy_project brings the real ones when present)
    seeds = work / "tests/data/seeds"
    seeds.mkdir(parents=True, exist_ok=True)
    (seeds / "000_0123456789abcdef.txt").write_text("Massage can ease pain for some people.\n")
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "scripts/lint_pages.py", "docs/about", "--format", "json", "--today", LINT_TODAY],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=600,
    )
    took = time.perf_counter() - started
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    by_page: dict[str, list[dict]] = {}
    for finding in json.loads(result.stdout or "[]"):
        by_page.setdefault(Path(finding["path"]).name, []).append(finding)
    return by_page, took


def test_corpus_has_several_variants_per_class():
    classes = {p.parent.name for p in BAD}
    assert {"front-matter-markup", "remote-resource", "script", "hidden-disclaimer", "claims", "robustness"} <= classes
    for cls in classes:
        assert len([p for p in BAD if p.parent.name == cls]) >= 5, cls
    assert len(GOOD) >= 8


def test_lint_runs_in_bounded_time_without_a_traceback(linted):
    _, took = linted
    assert took < 120, f"lint of the corpus took {took:.0f} s"


@pytest.mark.parametrize("page", GOOD, ids=lambda p: p.stem)
def test_good_page_passes_the_lint(linted, page):
    errors = [f for f in linted[0].get(_name(page), []) if f["severity"] == "error"]
    assert errors == []


@pytest.mark.parametrize(
    "page",
    [p for p in BAD if p.parent.name in ("front-matter-markup", "hidden-disclaimer", "claims", "robustness")],
    ids=lambda p: f"{p.parent.name}/{p.stem}",
)
def test_bad_page_is_refused_by_the_lint_with_line_and_hint(linted, page):
    errors = [f for f in linted[0].get(_name(page), []) if f["severity"] == "error"]
    assert errors, "the lint let it through"
    assert all(f["line"] >= 1 and f["message"] and f["hint"] for f in errors)


@pytest.mark.build
def test_good_pages_pass_build_and_gate(tmp_path):
    work = copy_project(tmp_path / "repo")
    _place(work, GOOD)
    result = _build(work)
    assert result.returncode == 0, result.stderr
    assert (work / "site/about/corpus-good-question-heading/index.html").is_file()


@pytest.mark.build
def test_bad_pages_the_lint_lets_through_are_refused_by_build_and_gate(linted, tmp_path):
    """Every bad page with no lint error must fail the build or the gate, by name."""
    through = [p for p in BAD if not any(f["severity"] == "error" for f in linted[0].get(_name(p), []))]
    assert through, "expected some pages only the output gate catches (remote resources)"
    work = copy_project(tmp_path / "repo")
    _place(work, through)
    result = _build(work)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    missed = [p.relative_to(CORPUS).as_posix() for p in through if f"docs/about/{_name(p)}" not in result.stderr]
    assert missed == [], result.stderr[-3000:]
    assert not (work / "site").exists()


@pytest.mark.build
def test_pages_that_would_crash_or_hang_mkdocs_are_refused_before_it_runs(tmp_path):
    pages = [
        p
        for p in BAD
        if p.parent.name == "robustness" and p.stem not in ("missing-snippet", "unclosed-front-matter", "not-utf8")
    ]
    work = copy_project(tmp_path / "repo")
    _place(work, pages)
    started = time.perf_counter()
    result = _build(work)
    assert time.perf_counter() - started < 120
    assert result.returncode == 1 and "Traceback" not in result.stderr
    missed = [p.stem for p in pages if f"docs/about/{_name(p)}:" not in result.stderr]
    assert missed == [], result.stderr[-3000:]
