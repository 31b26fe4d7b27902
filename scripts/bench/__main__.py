"""Run every measurement, print the table, write the JSON. See bench/__init__.py."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

from . import builds, offline, pdf, report, scale, search, weight
from .common import ROOT, browser_missing, chromium


def machine() -> dict:
    def first(path: str, key: str) -> str | None:
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(key):
                    return line.split(":" if ":" in line else "=", 1)[1].strip().strip('"')
        except OSError:
            pass
        return None

    mem = first("/proc/meminfo", "MemTotal")
    return {
        "cpus": os.cpu_count(),
        "cpu_model": first("/proc/cpuinfo", "model name"),
        "memory_gb": round(int(mem.split()[0]) / 1024**2, 1) if mem else None,
        "os": first("/etc/os-release", "PRETTY_NAME"),
        "python": platform.python_version(),
        "mkdocs": version("mkdocs"),
        "mkdocs_material": version("mkdocs-material"),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="one repetition, tiny corpora, two queries, two theme variants (for the test)",
    )
    parser.add_argument("--json", type=Path, default=ROOT / "build/bench.json", help="where to write the figures")
    parser.add_argument("--runs", type=int, help="builds per variant (default 5, --quick 1)")
    parser.add_argument("--sizes", type=int, nargs="+", help="corpus sizes (default 100 1000, --quick 10 30)")
    args = parser.parse_args(argv)
    runs = args.runs or (1 if args.quick else 5)
    sizes = sorted(args.sizes or ([10, 30] if args.quick else [100, 1000]))

    started = time.perf_counter()
    data: dict = {
        "command": "make bench" + (" (quick)" if args.quick else ""),
        "quick": args.quick,
        "machine": machine(),
    }
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp_name:
        tmp = Path(tmp_name)
        step("build: strict builds of the real site", runs * 3)
        data["build"] = builds.measure(tmp, runs)
        step(f"scale: corpora of {' and '.join(map(str, sizes))} pages")
        data["scale"] = scale.measure(tmp, sizes, stage_sample=min(100, sizes[0]))
        step("offline: bundle build and zip")
        data["offline"], bundle = offline.measure(tmp)
        step("pdf: the print edition from the same offline build")
        data["pdf"] = pdf.measure(tmp, tmp / "offline-site", data["offline"]["build_s"])
        missing = browser_missing()
        if missing:
            data["browser_skipped"] = missing
            print(f"bench: browser figures skipped: {missing}", file=sys.stderr)
        else:
            with chromium() as browser:
                data["machine"]["chromium"] = browser.version
                step("weight: page views in Chromium, theme variants")
                data["weight"] = weight.measure(browser, tmp, builds.hosted_site(tmp), args.quick)
                step("search: latency in Chromium, hosted and file://")
                data["search"] = search.measure(browser, builds.hosted_site(tmp), bundle, args.quick)
    data["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    data["elapsed_s"] = round(time.perf_counter() - started, 1)

    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print()
    print(report.table(data))
    print()
    print(report.details(data))
    print(
        f"\n{data['machine']['cpus']} cores, {data['machine']['cpu_model']}; load average "
        f"{data['machine']['load_average_at_start'][0]} -> {data['machine']['load_average_at_end'][0]}; "
        f"took {data['elapsed_s']} s; figures in {args.json}"
    )
    return 0


def step(what: str, builds: int | None = None) -> None:
    print(f"bench: {what}" + (f" ({builds} builds)" if builds else ""), file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
