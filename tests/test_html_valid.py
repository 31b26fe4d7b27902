"""Every built page, hosted and offline, through the W3C Nu HTML checker
(vnu-jar from npm, pinned, run with Java): 0 errors.

One Java run checks both builds plus a deliberately broken page, which shows
that the checker (and our one filter) still reports real errors.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from site_helpers import VNU_JAR, require_java

# Theme markup that cannot be fixed from overrides/, as (message, markup, reason)
FILTERS = [
    (
        re.compile(r"^Attribute “autocomplete” is only allowed when the input type is"),
        # Quotes optional, should a minifier ever drop the ones HTML does not need
        re.compile(
            r'<input class="?md-toggle"? data-md-toggle="?(drawer|search)"? type="?checkbox"? '
            r'id="?__(drawer|search)"? autocomplete="?off"?>'
        ),
        # Material's base.html hard-codes these two hidden checkboxes (the
        # drawer and search toggles) outside any template block, so only a
        # fork of the whole base.html could change them; and the attribute is
        # there on purpose: without it Firefox restores a ticked box on
        # back/forward, reopening the drawer or search.
        "Material base.html: autocomplete=off on its drawer/search toggles",
    ),
]

# Two faults the checker must report: a duplicate id, and the filtered
# attribute on a checkbox that is not one of Material's two toggles
FAULTS = '<p id="emergency-line">duplicate</p><input type="checkbox" id="__other" autocomplete="off">'


def filtered(message: dict) -> bool:
    extract = message.get("extract", "")
    return any(msg.search(message["message"]) and markup.search(extract) for msg, markup, _ in FILTERS)


@pytest.fixture(scope="module")
def vnu(built_site, offline_bundle, tmp_path_factory):
    """{checked file: [error messages after the filters]} for all three trees."""
    java = require_java()
    _, offline_root = offline_bundle
    faulty = tmp_path_factory.mktemp("vnu-fault")
    page = faulty / "index.html"
    shutil.copy(built_site / "index.html", page)
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("</article>", FAULTS + "</article>", 1), encoding="utf-8")

    # -Xss: vnu needs a deep stack for the HTML schema; C1-only JIT starts ~3x faster
    cmd = [
        java,
        "-Xss4m",
        "-XX:TieredStopAtLevel=1",
        "-jar",
        str(VNU_JAR),
        "--errors-only",
        "--skip-non-html",
        "--format",
        "json",
        str(built_site),
        str(offline_root),
        str(faulty),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    # vnu writes its JSON report to stderr; anything else means it did not run
    report = json.loads(proc.stderr)
    errors: dict[Path, list[dict]] = {}
    for message in report["messages"]:
        assert message["type"] == "error", message  # no "non-document-error": every file was read
        path = Path(unquote(urlsplit(message["url"]).path))
        errors.setdefault(path, []).append(message)
    return {"hosted": built_site, "offline": offline_root, "faulty": faulty}, errors


def _errors_under(root: Path, errors: dict) -> list[str]:
    return [
        f"{path.relative_to(root)}:{m.get('lastLine')}: {m['message']}"
        for path, messages in sorted(errors.items())
        if path.is_relative_to(root)
        for m in messages
        if not filtered(m)
    ]


@pytest.mark.parametrize("tree", ["hosted", "offline"])
def test_every_page_is_valid_html(vnu, tree):
    roots, errors = vnu
    assert _errors_under(roots[tree], errors) == []


def test_filter_only_hides_the_theme_toggles(vnu):
    roots, errors = vnu
    hidden = Counter(
        m["message"][:40]
        for path, ms in errors.items()
        if path.is_relative_to(roots["hosted"])
        for m in ms
        if filtered(m)
    )
    pages = len(list(roots["hosted"].rglob("*.html")))
    # Exactly the two toggles on every page, nothing else
    assert hidden == Counter({"Attribute “autocomplete” is only allowed": 2 * pages})


def test_validator_reports_invalid_markup(vnu):
    roots, errors = vnu
    found = _errors_under(roots["faulty"], errors)
    assert any("Duplicate ID “emergency-line”" in m for m in found), found
    assert any("Attribute “autocomplete” is only allowed" in m for m in found), found
