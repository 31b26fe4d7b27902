"""Read what the lint needs from mkdocs.yml, without running MkDocs.

The page is rendered with the site's own Markdown extensions, so the lint
sees what readers see (a disclaimer in a comment or a code block is not a
disclaimer). MkDocs' YAML tags (!ENV, !relative, !!python/name) are read
without being executed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .references import Registry

SECTIONS_NEEDING_SOURCES = ("causes", "techniques", "safety", "course-planning")
SECTIONS_NEEDING_RED_FLAGS_LINK = ("causes", "techniques", "course-planning")
RED_FLAGS_PAGE = "safety/red-flags.md"
DISCLAIMER_SNIPPET = "disclaimer.md"
DISCLAIMER_INCLUDE = f'--8<-- "{DISCLAIMER_SNIPPET}"'
# The one definition of each level of urgency (docs/includes/urgency/): pages
# include these cards, never retype their signs (rule urgency-list-retyped)
URGENCY_SNIPPETS = (
    "urgency/emergency.md",
    "urgency/urgent.md",
    "urgency/soon.md",
    "urgency/ladder.md",
    "urgency/lay-words.md",
)
# Cards shown on several pages, each with its home: the one page that must
# show it and whose copy goes into the search index. Every other copy is wrapped
# in <section data-search-exclude markdown> (rules card-copy-in-search and
# card-home-excluded, scripts/pagelint/rules/card_copies.py), so a search
# for a sign or the course rule finds the page about it, not every page
# that shows the card
CARD_HOMES = {
    "urgency/emergency.md": "safety/red-flags.md",
    "urgency/urgent.md": "safety/red-flags.md",
    "urgency/soon.md": "safety/red-flags.md",
    "urgency/ladder.md": "safety/index.md",
    "urgency/course-rule.md": "course-planning/when-to-stop-or-change.md",
    "urgency/acute-pain.md": "safety/when-not-to-have-massage.md",
}
# The seed articles the site was rewritten from (test data, never published):
# the one folder a `{ .seed-quote data-search-exclude data-seed="<file>" }` marker's <file> is in,
# relative to the project root (the folder holding mkdocs.yml)
SEEDS_DIR = "tests/data/seeds"


class _TolerantLoader(yaml.SafeLoader):
    """SafeLoader that reads MkDocs' custom tags as plain values."""


def _env_tag(loader, node):
    # !ENV [NAME, default] -> the default: the lint must not depend on the environment
    if isinstance(node, yaml.SequenceNode):
        values = loader.construct_sequence(node)
        return values[-1] if len(values) > 1 else None
    return None


_TolerantLoader.add_constructor("!ENV", _env_tag)
_TolerantLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


class ConfigError(Exception):
    """mkdocs.yml cannot be read: an environment problem (exit 2)."""


@dataclass
class SiteConfig:
    root: Path
    docs_dir: Path
    extensions: list[str] = field(default_factory=list)
    extension_configs: dict[str, dict] = field(default_factory=dict)
    # The sources registry: the file mkdocs.yml names with INHERIT, whose extra.references lists the entries
    registry: Registry = field(default_factory=lambda: Registry([]))

    @property
    def snippet_dirs(self) -> list[Path]:
        base = self.extension_configs.get("pymdownx.snippets", {}).get("base_path", ["."])
        base = [base] if isinstance(base, str) else base
        return [self.root / b for b in base]

    @property
    def seeds_dir(self) -> Path:
        """The folder of seed articles that seed-quote markers name (SEEDS_DIR)."""
        return self.root / SEEDS_DIR

    def section_of(self, path: Path) -> str:
        """The page's section is its first folder under docs/ ("" for the home page)."""
        try:
            parts = path.resolve().relative_to(self.docs_dir.resolve()).parts
        except ValueError:
            return path.parent.name
        return parts[0] if len(parts) > 1 else ""

    def docs_relative(self, path: Path) -> str | None:
        try:
            return path.resolve().relative_to(self.docs_dir.resolve()).as_posix()
        except ValueError:
            return None


def _load_yaml(path: Path, display: str) -> tuple[dict, str]:
    try:
        text = path.read_text(encoding="utf-8")
        raw = yaml.load(text, Loader=_TolerantLoader) or {}
    except OSError as exc:
        raise ConfigError(f"cannot read {display}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{display}:{mark.line + 1}" if mark else display
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(
            f"{where}: not valid YAML: {problem} (check the indentation: "
            f"entries of a list start with '- ' at the same indentation)"
        ) from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{display}: expected a mapping of settings at the top level")
    return raw, text


def _registry(root: Path, raw: dict, depth: int = 0) -> Registry:
    """The registry, extra.references, from the config or the file it inherits
    (INHERIT: docs/includes/references.yml), following INHERIT as MkDocs does:
    each path relative to the file that names it."""
    extra = raw.get("extra")
    if isinstance(extra, dict) and "references" in extra:
        return Registry(extra["references"] or [])
    parent = raw.get("INHERIT")
    if not parent or depth > 10:
        return Registry([])
    path = (root / parent).resolve()
    display = os.path.relpath(path)
    data, text = _load_yaml(path, display)
    extra = data.get("extra")
    if isinstance(extra, dict) and "references" in extra:
        return Registry(extra["references"] if extra["references"] is not None else [], path, text.split("\n"))
    return _registry(path.parent, data, depth + 1)


def load_site_config(config_file: Path) -> SiteConfig:
    raw, _ = _load_yaml(config_file, str(config_file))
    root = config_file.resolve().parent
    extensions: list[str] = []
    configs: dict[str, dict] = {}
    for item in raw.get("markdown_extensions") or []:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        extensions.append(name)
        if options:
            configs[name] = dict(options)
    # Snippet paths in mkdocs.yml are relative to the project root, not the cwd
    snippets = configs.get("pymdownx.snippets")
    if snippets is not None:
        base = snippets.get("base_path", ["."])
        base = [base] if isinstance(base, str) else base
        snippets["base_path"] = [str(root / b) for b in base]
    return SiteConfig(
        root=root,
        docs_dir=root / raw.get("docs_dir", "docs"),
        extensions=extensions,
        extension_configs=configs,
        registry=_registry(root, raw),
    )


def find_config(start: Path) -> Path:
    """mkdocs.yml in start or the nearest folder above it."""
    # absolute(), not resolve(): a page that is a symbolic link is judged where it is
    start = start.absolute()
    for folder in [start, *start.parents] if start.is_dir() else start.parents:
        candidate = folder / "mkdocs.yml"
        if candidate.is_file():
            return candidate
    raise ConfigError(f"no mkdocs.yml found in {start} or any folder above it")
