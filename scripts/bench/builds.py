"""1. Build time of the real site, and what the project's hooks cost.

Three builds, interleaved in a rotating order so that a slow moment of a
shared machine hits each variant alike:
  hooks    - the project's mkdocs.yml as it is (page lint hook + offline shim
             hook), run through bench.hooktime, which also times the hooks
  lint off - the same with PAGELINT_HOOK=0 (the hook module still loads)
  no hooks - a config that INHERITs mkdocs.yml with `hooks: []`
The ratio the issue targets (<= 1.10) is hooks / lint off, from the medians.
When other jobs share the two cores, that ratio of separate builds swings by
+-20%; the in-build ratio (each hooks build against itself minus the time
spent inside the hooks) does not, as both parts slow down together."""

from __future__ import annotations

import resource
import shutil
from pathlib import Path

from .common import median, timed_build, timed_build_with_hook_timer, variant_config

TARGET_RATIO = 1.10


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(tmp: Path, runs: int) -> dict:
    no_hooks = variant_config(tmp / "no-hooks", hooks=[])
    names = ["hooks", "lint_off", "no_hooks"]
    wall: dict[str, list[float]] = {name: [] for name in names}
    cpu: dict[str, list[float]] = {name: [] for name in names}
    in_build: list[float] = []
    hooks_s: list[float] = []
    for run in range(runs):
        for name in names[run % 3 :] + names[: run % 3]:  # rotate the order each round
            site = tmp / f"site-{name}"
            shutil.rmtree(site, ignore_errors=True)
            before = _children_cpu()
            if name == "hooks":
                elapsed, timing = timed_build_with_hook_timer(site)
                spent = sum(timing["hooks_s"].values())
                hooks_s.append(spent)
                in_build.append(elapsed / (elapsed - spent))
            elif name == "lint_off":
                elapsed = timed_build(site, PAGELINT_HOOK="0")
            else:
                elapsed = timed_build(site, no_hooks)
            wall[name].append(elapsed)
            cpu[name].append(_children_cpu() - before)
    m = {name: round(median(times), 3) for name, times in wall.items()}
    return {
        "runs": runs,
        "pages": sum(1 for _ in (tmp / "site-hooks").rglob("index.html")),
        "wall_s": {name: [round(t, 3) for t in times] for name, times in wall.items()},
        "median_s": m,
        "median_cpu_s": {name: round(median(times), 3) for name, times in cpu.items()},
        "median_hooks_s": round(median(hooks_s), 3),
        "target_ratio": TARGET_RATIO,
        "hook_ratio": round(m["hooks"] / m["lint_off"], 3),
        "hook_ratio_in_build": round(median(in_build), 3),
        "hooks_vs_no_hooks_ratio": round(m["hooks"] / m["no_hooks"], 3),
    }


def hosted_site(tmp: Path) -> Path:
    """The last strict build with the project's own config (for the browser checks)."""
    return tmp / "site-hooks"
