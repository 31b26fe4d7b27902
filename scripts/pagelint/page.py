"""A page as the rules see it: its source lines, front matter and the HTML
it renders to with the site's own Markdown extensions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import markdown
import yaml
from lxml import etree
from pymdownx.snippets import SnippetMissingError

from . import dom
from .findings import Finding
from .limits import LimitError, check_front_matter_aliases, check_size, check_text
from .siteconfig import SiteConfig

FRONT_MATTER_OPEN = re.compile(r"^---[ \t]*$")


class _FrontMatterLoader(yaml.SafeLoader):
    """SafeLoader that keeps an impossible date (2026-13-01) as text, so the
    date rule can name it, instead of failing the whole block."""


# libyaml's C loader reads front matter about 10x faster (the pure-Python one
# took about 4 ms a page); a page it rejects is read again by the pure-Python
# loader, whose messages are clearer ("expected ',' or ']', but got ':'")
class _FastFrontMatterLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The same, on libyaml when PyYAML was built with it."""


def _timestamp(loader, node):
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


for _loader in (_FrontMatterLoader, _FastFrontMatterLoader):
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


class _Handler(frontmatter.YAMLHandler):
    def __init__(self, loader=_FastFrontMatterLoader):
        super().__init__()
        self.loader = loader

    def load(self, fm, **kwargs):
        return yaml.load(fm, Loader=self.loader)


def _load_front_matter(text: str) -> dict:
    try:
        return frontmatter.loads(text, handler=_Handler()).metadata
    except yaml.YAMLError:
        return frontmatter.loads(text, handler=_Handler(_FrontMatterLoader)).metadata


class _Refused(Exception):
    """Front matter not loaded on purpose (already reported)."""


def symlink_outside(path: Path, site: SiteConfig) -> Path | None:
    """Where a page that is a symbolic link (or lies under one) points, when that is outside docs/."""
    try:
        target = path.resolve()
    except (OSError, RuntimeError):
        return path
    docs = site.docs_dir.resolve()
    if path.absolute() != target and not target.is_relative_to(docs):
        return target
    return None


class PageError(Exception):
    """The page cannot be linted at all; carries the finding that says why."""

    def __init__(self, finding: Finding):
        super().__init__(finding.message)
        self.finding = finding


@dataclass
class Page:
    path: Path
    display: str  # the path as findings show it
    section: str  # first folder under docs/, "" for the home page
    docs_path: str | None  # path relative to docs/, when inside it
    text: str  # decoded, BOM removed, newlines normalised to \n
    lines: list[str]
    meta: dict
    has_front_matter: bool
    front_matter_lines: int  # lines taken by the front matter block, fences included
    html: str = ""
    findings: list[Finding] = field(default_factory=list)
    grade: float | None = None  # reading grade, set by the readability rule
    words: int = 0
    allowed: int = 0  # claims kept by a claim-ok comment with a reason (claims rule)
    _tree: etree._Element | None = None

    @property
    def tree(self) -> etree._Element:
        """The rendered HTML's <html> element (see dom.py), parsed once and shared by the rules."""
        if self._tree is None:
            self._tree = dom.parse(self.html)
        return self._tree

    @property
    def body_start(self) -> int:
        """0-based index of the first line after the front matter."""
        return self.front_matter_lines

    def line_of(self, pattern: re.Pattern | str, start: int = 0) -> tuple[int, int] | None:
        """(1-based line, 1-based column) of the first match at or after line index start."""
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        for index in range(start, len(self.lines)):
            match = regex.search(self.lines[index])
            if match:
                return index + 1, match.start() + 1
        return None

    def meta_line(self, key: str) -> int:
        """1-based line of a front-matter key, or 1."""
        found = self.line_of(re.compile(rf"^{re.escape(key)}\s*:"), 1)
        return found[0] if found and found[0] <= self.front_matter_lines else 1

    def finding(self, line: int, col: int, rule: str, message: str, hint: str = "", **kw) -> Finding:
        return Finding(self.display, line, col, rule, message, hint, **kw)


def decode(path: Path, display: str, raw: bytes) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PageError(
            Finding(
                display,
                line,
                1,
                "file-encoding",
                f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                "save the file as UTF-8",
            )
        ) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_page(path: Path, site: SiteConfig, display: str | None = None, text: str | None = None) -> Page:
    """Load a page from disk (or from text already read), without rendering it."""
    display = display or str(path)
    if text is None:
        outside = symlink_outside(path, site)
        if outside:
            raise PageError(
                Finding(
                    display,
                    1,
                    1,
                    "symlink-outside",
                    f"the page is a symbolic link to {outside}, outside docs/",
                    "copy the file into docs/ instead of linking to it",
                )
            )
        try:
            check_size(display, path.stat().st_size)
            raw = path.read_bytes()
        except LimitError as exc:
            raise PageError(exc.finding) from exc
        except OSError as exc:
            raise PageError(
                Finding(
                    display,
                    1,
                    1,
                    "file-unreadable",
                    f"cannot read file: {exc.strerror}",
                    "check the path and its permissions",
                )
            ) from exc
        text = decode(path, display, raw)
    lines = text.split("\n")
    try:
        check_text(display, lines)
    except LimitError as exc:
        raise PageError(exc.finding) from exc

    meta: dict = {}
    has_front_matter = bool(lines) and bool(FRONT_MATTER_OPEN.match(lines[0]))
    fm_lines = 0
    findings: list[Finding] = []
    if has_front_matter:
        closing = next((i for i in range(1, len(lines)) if re.match(r"^(---|\.\.\.)[ \t]*$", lines[i])), None)
        if closing is None:
            findings.append(
                Finding(
                    display,
                    1,
                    1,
                    "front-matter-yaml",
                    "front matter is not closed",
                    "end the front matter with a line holding only ---",
                )
            )
            has_front_matter = False
        else:
            fm_lines = closing + 1
            alias = check_front_matter_aliases(display, "\n".join(lines[1:closing]))
            try:
                if alias is not None:
                    findings.append(alias)
                    raise _Refused
                meta = _load_front_matter(text)
            except _Refused:
                meta = {}
            except yaml.YAMLError as exc:
                # Where a bracket or quote was opened beats where YAML gave up
                mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
                line = mark.line + 2 if mark else 1  # +1 for 1-based, +1 for the opening ---
                col = mark.column + 1 if mark else 1
                problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
                findings.append(
                    Finding(
                        display,
                        line,
                        col,
                        "front-matter-yaml",
                        f"front matter is not valid YAML: {problem}",
                        "fix the YAML syntax (quote values that contain ': ' or start with a special character)",
                    )
                )
            if not isinstance(meta, dict):
                meta = {}

    return Page(
        path=path,
        display=display,
        section=site.section_of(path),
        docs_path=site.docs_relative(path),
        text=text,
        lines=lines,
        meta=meta,
        has_front_matter=has_front_matter,
        front_matter_lines=fm_lines,
        findings=findings,
    )


class Renderer:
    """Renders page bodies with the site's Markdown extensions; reuse one per process."""

    def __init__(self, site: SiteConfig):
        self.site = site
        self._md = markdown.Markdown(extensions=site.extensions, extension_configs=site.extension_configs)

    def render(self, page: Page) -> None:
        body = "\n".join(page.lines[page.front_matter_lines :])
        self._md.reset()
        try:
            page.html = self._md.convert(body)
        except RecursionError as exc:
            raise PageError(
                page.finding(
                    page.body_start + 1,
                    1,
                    "nesting-too-deep",
                    "the page is nested too deeply to render",
                    "flatten nested lists, quotes or HTML",
                )
            ) from exc
        except SnippetMissingError as exc:
            name = re.search(r"'([^']*)'", str(exc))
            target = re.escape(name.group(1)) if name else ""
            where = page.line_of(re.compile(rf"--8<--.*{target}"), page.body_start) or (1, 1)
            raise PageError(
                page.finding(
                    *where,
                    "snippet-missing",
                    f"included file not found: {exc}",
                    'includes live in docs/includes/; check the name (the disclaimer is --8<-- "disclaimer.md")',
                )
            ) from exc
