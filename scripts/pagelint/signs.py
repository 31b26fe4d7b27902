"""The warning signs, defined once (docs/includes/signs.yml), and the three
urgency cards generated from them (docs/includes/urgency/{emergency,urgent,soon}.md),
with the "When to get help" summary of all three (docs/includes/urgency/ladder.md)
and the signs in readers' own words for the red flags page (urgency/lay-words.md).

    python -m pagelint.write_cards            write the cards from the table (make signs)
    python -m pagelint.write_cards --check    exit 1, naming each card, if one is out of date

`make site`, `make lint` and `make serve` write the cards first, so a change to
the table shows on every page that includes a card, in the "Do I need urgent
help?" checker (which reads the cards) and in the print edition. A table that
breaks the schema is refused with its file, line and what to do.

Exit codes: 0 done (or up to date), 1 a card is out of date (--check),
2 the table is invalid or a file cannot be read.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "docs/includes/signs.yml"
REFERENCES = ROOT / "docs/includes/references.yml"
CARDS = ROOT / "docs/includes/urgency"

# Fastest first: what each level asks the reader to do. The first three have
# a card; "routine" (mention it at a next appointment, or wait) has none: it
# names the actions that are too slow for any sign
LEVELS = ("emergency", "urgent", "soon")
TRIAGE_LEVELS = (*LEVELS, "routine")
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SIGN_KEYS = {"id": str, "level": str, "text": str, "lay": list, "match": list, "sources": list, "notes": str}
REQUIRED = ("id", "level", "text", "lay", "match", "sources")
LEVEL_KEYS = {"actions": list, "title": str, "short": str, "after": str, "summary": dict, "note": dict}
# The summary of all three levels that topic pages include instead of a box of their own
LADDER = "ladder"
# Every sign's lay words by level, shown on the red flags page, so that its
# search entry holds the words readers type ("numb bum", "foot drags")
LAY_WORDS = "lay-words"


class TableError(Exception):
    """The table breaks the schema: str(error) names the file, the line and the fix."""


@dataclass
class Sign:
    id: str
    level: str
    text: str
    lay: list[str]
    match: list[str]
    sources: list[str]
    line: int
    notes: str = ""

    @property
    def pattern(self) -> re.Pattern:
        """Where a page names the sign: its match patterns and its lay words."""
        return _words(self.match + [re.escape(word) for word in self.lay])


@dataclass
class Level:
    name: str
    actions: list[str]
    title: str = ""
    short: str = ""  # the action in a few words, before the level's lay words
    after: str = ""
    note_title: str = ""
    note: list[str] = field(default_factory=list)
    # The level's line in the ladder: a card title and one paragraph
    summary_title: str = ""
    summary: str = ""

    @property
    def pattern(self) -> re.Pattern:
        return _words(self.actions)


def _words(patterns: list[str]) -> re.Pattern:
    return re.compile("|".join(rf"(?<![\w&])(?:{p})(?![\w&])" for p in patterns), re.I)


@dataclass
class Table:
    levels: dict[str, Level]
    signs: list[Sign]

    def of_level(self, level: str) -> list[Sign]:
        return [sign for sign in self.signs if sign.level == level]


def _line(node) -> int:
    return node.start_mark.line + 1


def _fail(path: Path, line: int, what: str, fix: str) -> TableError:
    return TableError(f"{path}:{line}: {what}; {fix}")


def _mapping(node, path: Path, what: str) -> dict:
    if not isinstance(node, yaml.MappingNode):
        raise _fail(path, _line(node), f"{what} must be a mapping of keys to values", "see the file's header")
    return {key.value: value for key, value in node.value}


def _check_keys(values: dict, allowed: dict, required, path: Path, line: int, what: str) -> None:
    for key in values:
        if key not in allowed:
            raise _fail(path, line, f"{what} has an unknown key '{key}'", f"use only {', '.join(allowed)}")
    for key in required:
        if key not in values:
            raise _fail(path, line, f"{what} has no '{key}'", f"add '{key}:'")


def _value(node, kind, path: Path, what: str):
    """The node's plain value, checked against its kind (str or list of str)."""
    if kind is str:
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            raise _fail(path, _line(node), f"{what} must be non-empty text", "write it as a YAML string")
        return " ".join(str(node.value).split())
    if kind is list:
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            raise _fail(path, _line(node), f"{what} must be a non-empty list", "write it as [a, b] or as '- a' lines")
        return [_value(item, str, path, f"each item of {what}") for item in node.value]
    return node


def load(path: Path = TABLE, reference_ids: set[str] | None = None) -> Table:
    """Read and check the table. `reference_ids`: the ids in references.yml
    (read from REFERENCES when not given)."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise TableError(f"{path}: cannot read it ({exc.strerror}); restore it from git") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise _fail(path, line, f"not valid YAML ({getattr(exc, 'problem', exc)})", "fix the syntax there") from None
    if root is None:
        raise _fail(path, 1, "the table is empty", "restore it from git")
    top = _mapping(root, path, "the table")
    _check_keys(top, {"levels": dict, "signs": list}, ("levels", "signs"), path, _line(root), "the table")
    if reference_ids is None:
        reference_ids = _reference_ids()

    levels_node = top["levels"]
    level_values = _mapping(levels_node, path, "levels")
    if tuple(level_values) != TRIAGE_LEVELS:
        raise _fail(
            path,
            _line(levels_node),
            f"levels are {list(level_values)}",
            f"give exactly {list(TRIAGE_LEVELS)}, in that order",
        )
    levels = {}
    for name, node in level_values.items():
        values = _mapping(node, path, f"level '{name}'")
        needed = ("actions", "title", "short", "after", "summary") if name in LEVELS else ("actions",)
        _check_keys(
            values, LEVEL_KEYS if name in LEVELS else {"actions": list}, needed, path, _line(node), f"level '{name}'"
        )
        actions = _value(values["actions"], list, path, f"{name}'s actions")
        _check_patterns(values["actions"], actions, path, f"{name}'s actions")
        level = Level(name, actions)
        if name in LEVELS:
            level.title = _value(values["title"], str, path, f"{name}'s title")
            level.after = _value(values["after"], str, path, f"{name}'s after")
            level.short = _value(values["short"], str, path, f"{name}'s short")
            summary = _part(values, "summary", {"title": str, "text": str}, path, name)
            level.summary_title, level.summary = summary["title"], summary["text"]
        if "note" in values:
            note = _part(values, "note", {"title": str, "paragraphs": list}, path, name)
            level.note_title, level.note = note["title"], note["paragraphs"]
        levels[name] = level

    if not isinstance(top["signs"], yaml.SequenceNode):
        raise _fail(path, _line(top["signs"]), "signs must be a list", "write each sign as a '- id: ...' item")
    signs, seen, lay_seen = [], {}, {}
    for node in top["signs"].value:
        line = _line(node)
        values = _mapping(node, path, "a sign")
        _check_keys(values, SIGN_KEYS, REQUIRED, path, line, "this sign")
        got = {key: _value(values[key], SIGN_KEYS[key], path, f"'{key}'") for key in values}
        _check_patterns(values["match"], got["match"], path, "'match'")
        sign = Sign(line=line, **got)
        if not ID.match(sign.id):
            raise _fail(
                path, line, f"id '{sign.id}' is not lower-case words joined by hyphens", "rename it, e.g. 'foot-drop'"
            )
        if sign.id in seen:
            raise _fail(
                path, line, f"id '{sign.id}' is used twice (first at line {seen[sign.id]})", "give each sign its own id"
            )
        seen[sign.id] = line
        if sign.level not in LEVELS:
            raise _fail(path, line, f"sign '{sign.id}' has level '{sign.level}'", f"use one of {', '.join(LEVELS)}")
        unknown = [ref for ref in sign.sources if ref not in reference_ids]
        if unknown:
            raise _fail(
                path,
                line,
                f"sign '{sign.id}' cites {unknown}, which references.yml does not list",
                "add the source to docs/includes/references.yml or fix the id",
            )
        for word in sign.lay:
            key = word.lower()
            if key in lay_seen and lay_seen[key][0] != sign.level:
                other = lay_seen[key][1]
                raise _fail(
                    path,
                    line,
                    f"lay words '{word}' stand for sign '{other}' too, at another level",
                    "keep the words on one sign, or make them more precise",
                )
            lay_seen[key] = (sign.level, sign.id)
        signs.append(sign)
    table = Table(levels, signs)
    for name in LEVELS:
        if not table.of_level(name):
            raise _fail(path, _line(levels_node), f"no sign has level '{name}'", "every card lists at least one sign")
    _check_summaries(table, level_values, path)
    return table


def _part(values: dict, key: str, fields: dict, path: Path, name: str) -> dict:
    """A level's nested mapping (its summary or note), every field required
    and checked against its kind."""
    part = _mapping(values[key], path, f"{name}'s {key}")
    _check_keys(part, fields, tuple(fields), path, _line(values[key]), f"{name}'s {key}")
    return {field: _value(part[field], kind, path, f"{name}'s {key} {field}") for field, kind in fields.items()}


def _check_summaries(table: Table, level_values: dict, path: Path) -> None:
    """What a level says in its own words (its card's title and closing text,
    its line in the ladder) names no sign of a faster level, which would then
    get this level's slower action: these are shown as they are, without the
    page lint. Read as a reader reads them: without
    markup, links, entities or invisible characters."""
    for name in LEVELS:
        level = table.levels[name]
        node = _mapping(level_values[name], path, name)
        for key, text in (
            ("title", level.title),
            ("after", level.after),
            ("summary", f"{level.summary_title} {level.summary}"),
        ):
            words = plain_markdown(text)
            for sign in table.signs:
                found = sign.pattern.search(words)
                if found and LEVELS.index(sign.level) < LEVELS.index(name):
                    raise _fail(
                        path,
                        _line(node[key]),
                        f"{name}'s {key} names '{found.group(0)}', sign '{sign.id}' of level '{sign.level}'",
                        f"move it to the {sign.level} level, or reword it",
                    )


# Characters that hide a word from a pattern but not from a reader
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
APOSTROPHES = {ord(c): "'" for c in "\u2018\u2019\u02bc\u2032\u0060\u00b4"}


def plain_markdown(text: str) -> str:
    """Markdown as a reader sees its words: link text, no tags, emphasis,
    entities or invisible characters, one apostrophe."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    text = re.sub(r"[*_`]+", "", text)
    return " ".join(text.translate(INVISIBLE).translate(APOSTROPHES).split())


def _check_patterns(node, patterns: list[str], path: Path, what: str) -> None:
    for item, pattern in zip(node.value, patterns, strict=True):
        try:
            compiled = re.compile(pattern, re.I)
        except re.error as exc:
            raise _fail(
                path, _line(item), f"{what}: '{pattern}' is not a valid pattern ({exc})", "fix or quote it"
            ) from None
        if compiled.match(""):
            raise _fail(path, _line(item), f"{what}: '{pattern}' matches empty text", "make it match at least a word")


def _reference_ids() -> set[str]:
    data = yaml.load(REFERENCES.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    return {entry["id"] for entry in data["extra"]["references"]}


def _indent(text: str) -> str:
    return "    " + text


def card(table: Table, level: str) -> str:
    """The card's Markdown, as pages include it with --8<-- "urgency/<level>.md"."""
    spec = table.levels[level]
    lines = [f'!!! {level} "{spec.title}"', ""]
    lines += [_indent(f"- {sign.text}") for sign in table.of_level(level)]
    lines += ["", _indent(spec.after)]
    if spec.note:
        lines += ["", f'??? info {level}-notes "{spec.note_title}"']
        for paragraph in spec.note:
            lines += ["", _indent(paragraph)]
    # No "generated" comment in the card: it would reach the built pages
    return "\n".join(lines) + "\n"


def ladder(table: Table) -> str:
    """The "When to get help" summary, one small card per level, as pages
    include it with --8<-- "urgency/ladder.md"."""
    lines = ['<div class="ladder" markdown>', "", "**When to get help:**"]
    for name in LEVELS:
        spec = table.levels[name]
        lines += ["", f'!!! {name} "{spec.summary_title}"', "", _indent(spec.summary)]
    return "\n".join([*lines, "", "</div>"]) + "\n"


def lay_words(table: Table) -> str:
    """The lay words of each level's signs, under the level's action, as the
    red flags page includes them with --8<-- "urgency/lay-words.md"."""
    lines = ['<div class="lay-words" markdown>', ""]
    for name in LEVELS:
        words = ", ".join(f'"{word}"' for sign in table.of_level(name) for word in sign.lay)
        lines.append(f"- **{table.levels[name].short}:** {words}")
    return "\n".join([*lines, "", "</div>"]) + "\n"


def _generated(table: Table) -> dict[str, str]:
    """Each generated file's name in urgency/ and its Markdown."""
    files = {f"{level}.md": card(table, level) for level in LEVELS}
    files[f"{LADDER}.md"] = ladder(table)
    files[f"{LAY_WORDS}.md"] = lay_words(table)
    return files


def card_include(level: str) -> str:
    """How a page includes the level's card: --8<-- "urgency/<level>.md"."""
    return f"{CARDS.name}/{level}.md"


def stale_cards(table: Table, cards: Path = CARDS) -> list[Path]:
    """The card files that differ from what the table gives."""
    return _stale(_generated(table), cards)


def _stale(files: dict[str, str], cards: Path) -> list[Path]:
    return [
        cards / name
        for name, text in files.items()
        if not (cards / name).is_file() or (cards / name).read_text(encoding="utf-8") != text
    ]


def write_cards(table: Table, cards: Path = CARDS) -> list[Path]:
    written = []
    files = _generated(table)  # rendered once: compared, then written
    for path in _stale(files, cards):
        temporary = path.with_suffix(".md.tmp")
        temporary.write_text(files[path.name], encoding="utf-8")
        temporary.replace(path)  # a reader never sees half a card
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="signs", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report cards that are out of date (exit 1)")
    parser.add_argument("--table", type=Path, default=TABLE, help=argparse.SUPPRESS)
    parser.add_argument("--cards", type=Path, default=CARDS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        table = load(args.table)
    except TableError as exc:
        print(f"signs: {exc}", file=sys.stderr)
        return 2
    if args.check:
        stale = stale_cards(table, args.cards)
        for path in stale:
            print(f"signs: {path} is out of date with {args.table}: run `make signs`", file=sys.stderr)
        return 1 if stale else 0
    for path in write_cards(table, args.cards):
        print(f"signs: wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
