"""`make bench` (issue #9), in its quick mode: one build per variant, corpora
of 10 and 30 pages, two queries. It must produce every figure of the table;
the figures themselves are measured, never compared with a threshold here.
Also: the offline bundle leaves out the theme files the site never loads."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import BUILD_ENV, ROOT
from site_helpers import in_ci

sys.path.insert(0, str(ROOT / "scripts"))
from bench.common import browser_missing
from bench.report import FIGURES, lookup

BROWSER_PARTS = ("weight.", "search.")


@pytest.fixture(scope="module")
def quick_bench(tmp_path_factory) -> tuple[dict, str]:
    out = tmp_path_factory.mktemp("bench") / "bench.json"
    env = dict(BUILD_ENV, PYTHONPATH=str(ROOT / "scripts"))
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--json", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"bench --quick failed:\n{result.stdout}\n{result.stderr}"
    return json.loads(out.read_text()), result.stdout


# `make bench` runs it first (a benchmark, not a test of the site: not in `make test`)
@pytest.mark.bench
@pytest.mark.build
def test_quick_bench_gives_every_figure(quick_bench):
    data, printed = quick_bench
    missing = browser_missing()
    if missing and in_ci():
        pytest.fail(f"CI=true and the browser figures cannot be taken: {missing}")
    for label, path, unit, _target in FIGURES:
        if missing and path.startswith(BROWSER_PARTS):
            assert lookup(data, path) is None
            continue
        value = lookup(data, path)
        assert isinstance(value, (int, float)), f"{label} ({path}) = {value!r}"
        # A difference of two noisy timings (growth per extra page) may come out
        # negative on a busy machine in quick mode; every other figure is a size,
        # a rate or a time and must be positive
        if not path.startswith("scale.growth."):
            assert value > 0, f"{label} ({path}) = {value!r}"
        assert f"{value:g} {unit}" in printed, f"{label} is not in the printed table"
    # The parts behind the headline figures
    assert data["build"]["runs"] == 1 and set(data["build"]["median_s"]) == {"hooks", "lint_off", "no_hooks"}
    assert data["scale"]["sizes"] == [10, 30] and data["scale"]["30"]["pages"] == 30
    assert data["offline"]["zip_kb"] < data["offline"]["zip_kb_before"]
    assert data["machine"]["cpus"] >= 1
    if missing:
        pytest.skip(f"browser figures skipped: {missing}")
    cupping = data["weight"]["variants"]["as configured"]["content"]
    kinds = {item["kind"] for item in cupping["largest"]}
    assert {"html", "css", "js"} <= kinds
    assert set(data["search"]["offline"]["per_query_median_ms"]) == set(data["search"]["queries"])


def test_offline_bundle_leaves_out_source_maps_and_unused_search_languages(offline_bundle):
    zip_path, root = offline_bundle
    shipped = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    assert not [p for p in shipped if p.endswith(".map")]
    assert not [p for p in shipped if p.startswith("assets/javascripts/lunr/")]
    # What English search does need is still there
    assert any(p.startswith("assets/javascripts/workers/search.") for p in shipped)
    assert "search/search_index.js" in shipped
