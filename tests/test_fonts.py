"""The print edition embeds only the fonts it names (issue #23): DejaVu, from
Debian's fonts-dejavu-core, installed by .ci/install-debian-packages. A
diagram that asked for "Arial, Helvetica" got Liberation Sans on a machine
whose Chromium had pulled in fonts-liberation, and the PDF embedded it. So the
diagrams name the PDF's font first, and the print styles name only the
families build_pdf.py maps to DejaVu files. (The PDF's embedded fonts
themselves are checked in tests/test_pdf.py.)"""

from __future__ import annotations

import re
import sys

import pytest
from lxml import etree

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from build_pdf import FONTS

SVGS = sorted((ROOT / "docs").rglob("*.svg"))
PDF_FONT = "DejaVu Sans"
FAMILY = re.compile(r"font-family\s*:\s*([^;}]+)")


def families(svg) -> list[str]:
    """Every font-family list the SVG sets, as attribute or style."""
    tree = etree.parse(str(svg))
    found = [el.get("font-family") for el in tree.iter() if el.get("font-family")]
    for el in tree.iter():
        text = (el.get("style") or "") + (el.text or "" if str(el.tag).endswith("style") else "")
        found += [m.strip() for m in FAMILY.findall(text)]
    return found


@pytest.mark.parametrize("svg", SVGS, ids=lambda p: p.name)
def test_each_diagram_names_the_print_editions_font_first(svg):
    for family in families(svg):
        first = family.split(",")[0].strip().strip("'\"")
        assert first == PDF_FONT, f"{svg.relative_to(ROOT)} names {family!r}: start it with {PDF_FONT!r}"


def test_the_check_reads_attributes_and_styles(tmp_path):
    bad = tmp_path / "bad.svg"
    bad.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><style>text { font-family: Arial }</style>'
        '<text font-family="DejaVu Sans">a</text><text style="font-family:Helvetica">b</text></svg>'
    )
    assert {f.strip() for f in families(bad)} == {"DejaVu Sans", "Arial", "Helvetica"}


def test_print_styles_name_only_the_editions_own_families():
    css = (ROOT / "scripts/pdf/edition.css").read_text(encoding="utf-8")
    named = {f.strip().strip("'\"") for m in FAMILY.findall(css) for f in m.split(",")}
    named |= {m.strip("'\"") for m in re.findall(r"font\s*:[^;]*?(\"[^\"]+\")", css)}
    own = {family for family, _weight, _style in FONTS}
    assert named and named <= own | {"inherit"}, f"edition.css names {sorted(named - own)}"
