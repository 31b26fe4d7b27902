"""5. The print edition (make pdf): how long WeasyPrint takes to make the PDF
from a built site, its page count and its size.

It reuses the offline build that bench.offline just made (the PDF is made
from that same build by `make offline`); the full `make pdf` time is that
site build plus this."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from .common import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import build_offline
import build_pdf

TARGET_S = 60
TARGET_MB = 5


def measure(tmp: Path, site: Path, site_build_s: float) -> dict:
    epoch = build_offline.source_date_epoch()
    target = tmp / build_pdf.pdf_name("bench")
    start, cpu = time.perf_counter(), time.process_time()
    pages = build_pdf.render(site, target, epoch, "bench")
    render_s, render_cpu_s = time.perf_counter() - start, time.process_time() - cpu
    size = target.stat().st_size
    return {
        "target_s": TARGET_S,
        "target_mb": TARGET_MB,
        "render_s": round(render_s, 2),
        # WeasyPrint uses one core: CPU time is the steadier figure on a busy machine
        "render_cpu_s": round(render_cpu_s, 2),
        "build_s": round(site_build_s + render_s, 2),
        "pages": pages,
        "size_mb": round(size / 1024**2, 2),
        "size_kb_per_page": round(size / 1024 / pages, 1),
    }
