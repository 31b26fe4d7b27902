"""Output formats: text for people, JSON for tools, GitHub Actions annotations."""

from __future__ import annotations

import json

from .findings import Finding


def _escape_github(value: str, *, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


def format_text(finding: Finding) -> str:
    level = "" if finding.is_error else "warning: "
    hint = f" ({finding.hint})" if finding.hint else ""
    return f"{finding.path}:{finding.line}:{finding.col}: {finding.rule} {level}{finding.message}{hint}"


def format_github(finding: Finding) -> str:
    props = ",".join(
        f"{k}={_escape_github(str(v), prop=True)}"
        for k, v in (("file", finding.path), ("line", finding.line), ("col", finding.col), ("title", finding.rule))
    )
    message = finding.message + (f" ({finding.hint})" if finding.hint else "")
    return f"::{finding.severity.value} {props}::{_escape_github(message)}"


def render(findings: list[Finding], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([f.as_dict() for f in findings], indent=2)
    line = format_github if fmt == "github" else format_text
    return "\n".join(line(f) for f in findings)


GRADE_NOTE = (
    "grade: Flesch-Kincaid grade of the page's own prose, about the US school grade (year of school) "
    "that can read it; reading age is about grade + 5. The site writes for reading ages 9 to 14, "
    "grades 4 to 9; above 9 the lint warns (readability-grade), on pages of 80 words or more."
)


def summary_table(pages) -> str:
    """Markdown table of every page's reading grade and word count."""
    rows = ["| page | grade | words | errors | warnings | allowed claims |", "|---|---:|---:|---:|---:|---:|"]
    for page in sorted(pages, key=lambda p: p.display):
        errors = sum(f.is_error for f in page.findings)
        grade = f"{page.grade:.1f}" if page.grade is not None else "-"
        rows.append(
            f"| {page.display} | {grade} | {page.words} | {errors} | {len(page.findings) - errors} "
            f"| {getattr(page, 'allowed', 0)} |"
        )
    allowed = sum(getattr(page, "allowed", 0) for page in pages)
    rows.append(f"\n{allowed} claims kept by claim-ok comments (each with its written reason in the source)")
    rows += ["", GRADE_NOTE]
    return "\n".join(rows)
