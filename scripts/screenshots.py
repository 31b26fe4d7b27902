#!/usr/bin/env python3
"""Screenshots for reviewers: five pages (home, red flags, cupping, tracking
progress, claims ledger) on a phone (390x844) and a desktop (1280x800), light
and dark, full length, taken in Debian Chromium from a built site.

    python scripts/screenshots.py [--site site] [--out build/screenshots/after]

Writes <page>-<phone|desktop>-<light|dark>.png and, beside each, the first
screen only (<...>-first-screen.png): what a reader sees before scrolling.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import check_links  # noqa: E402
from audit import CHROME_FLAGS, CHROMIUM, PAGES  # noqa: E402

SIZES = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 1,
    },
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--out", type=Path, default=ROOT / "build/screenshots/after")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"screenshots: {args.site}/index.html not found: run `make site` first", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with check_links.serve(args.site.resolve(), check_links.site_prefix()) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROME_FLAGS.split())
        for size, options in SIZES.items():
            for colours in ("light", "dark"):
                context = browser.new_context(**options, color_scheme=colours)
                page = context.new_page()
                for name, path in PAGES.items():
                    page.goto(base + path, wait_until="load")
                    stem = f"{name.replace(' ', '-')}-{size}-{colours}"
                    page.screenshot(path=args.out / f"{stem}.png", full_page=True, animations="disabled")
                    page.screenshot(path=args.out / f"{stem}-first-screen.png", animations="disabled")
                context.close()
        browser.close()
    print(f"wrote {len(list(args.out.glob('*.png')))} screenshots to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
