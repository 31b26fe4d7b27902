"""Absolute health claims, found in the text readers see and reported at the
source file and line that wrote them.

The text is the rendered page (entities decoded, markup and comments gone,
so emphasis or a comment inside a word does not split it), plus the glossary
definitions (the popovers scripts/glossary_first_use.py adds after a term's
first use, each read on its own rather than as part of the sentence around
it), the page's front matter and its navigation title in mkdocs.yml. It is normalised before matching: NFKC, zero-width characters
and soft hyphens removed, look-alike letters from other alphabets folded to
Latin, line breaks joined, URLs left out, as are code, the titles of cited
sources (external links, <cite>) and marked quotes of a seed article.

A claim is not flagged when a negation governs it (within three words before
it in the same clause: "there is no cure", "cannot be cured"; or a frame such
as "there is no evidence that" earlier in the sentence), when its sentence is
a question ("Can cupping cure sciatica?"), or when it reports what adverts
promise. A sentence that must stay as it is carries an allow comment with a
written reason, on its line or the line before:
    <!-- claim-ok: quoting the advert we warn about -->
Allowed claims are counted in --summary.

A seed-quote marker (> { .seed-quote data-search-exclude data-seed="NNN_xxx.txt" }) must name a
seed article in tests/data/seeds/ (siteconfig.SEEDS_DIR) and the quoted words
must be in it; only then is the quote exempt."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..dom import ancestor, find_all, has_class, is_popover, popovers, text_of
from ..findings import Finding, Severity
from ..siteconfig import SEEDS_DIR

RULE_IDS = {
    "claim-cure": "promises a cure (negations such as 'there is no cure' are fine)",
    "claim-once-and-for-all": "'once and for all'",
    "claim-guarantee": "'guaranteed' and the like ('no guarantee' is fine)",
    "claim-miracle": "'miracle'",
    "claim-100-percent": "'100%', '100 percent'",
    "claim-safest": "'safest'",
    "claim-completely-safe": "'completely safe', 'risk-free', 'harmless' and the like",
    "claim-no-side-effects": "'no side effects'",
    "claim-detox": "detox / toxins",
    "claim-immune": "boosts or improves the immune system",
    "claim-clinically-proven": "'clinically proven'",
    "claim-instant-relief": "'instant relief'",
    "claim-permanent": "'eliminates ... permanently', 'permanent relief', 'never comes back'",
    "claim-every-time": "'works every time'",
    "claim-heals": "'heals'",
    "claim-allow": "a claim-ok allow comment without a written reason",
    "seed-quote-marker": "a seed-quote marker that is malformed, names no real seed article, or quotes words not in it",
}


@dataclass(frozen=True)
class Claim:
    rule: str
    pattern: re.Pattern
    hint: str
    negatable: bool = True


CLAIMS = (
    Claim(
        "claim-cure",
        re.compile(r"\bcur(e|es|ed|ing)\b", re.I),
        "no massage cures sciatica: say what it may do, e.g. 'may ease pain for a while for some people'",
    ),
    Claim(
        "claim-once-and-for-all",
        re.compile(r"\bonce and for all\b", re.I),
        "say what is known: most sciatica improves within weeks, and it can come back",
    ),
    Claim(
        "claim-guarantee", re.compile(r"\bguarantee(s|d)?\b", re.I), "nothing is guaranteed: say 'may help some people'"
    ),
    Claim("claim-miracle", re.compile(r"\bmiracle\w*", re.I), "describe the effect and its evidence plainly"),
    Claim(
        "claim-100-percent",
        re.compile(r"\b100\s?%|\b(100|one hundred)\s?(percent|per cent)\b", re.I),
        "give the real figure with its source, or leave it out",
    ),
    Claim(
        "claim-safest",
        re.compile(r"\bsafest\b", re.I),
        "compare risks with a source, e.g. 'serious side effects are rare (Cochrane 2015)'",
    ),
    Claim(
        "claim-completely-safe",
        re.compile(
            r"\b(completely|totally|perfectly|absolutely|entirely|100%)\s+safe\b|\brisk[- ]?free\b|\bharmless\b", re.I
        ),
        "say what the risks are and how often they happen, with a source",
    ),
    Claim(
        "claim-no-side-effects",
        re.compile(r"\bno (side[- ]effects|risks?)\b", re.I),
        "name the side effects (e.g. soreness) and how common they are",
        negatable=False,
    ),
    Claim(
        "claim-detox",
        re.compile(r"(?<!botulinum )\b(detox\w*|toxins?)\b", re.I),
        "massage does not remove toxins: leave the claim out",
    ),
    Claim(
        "claim-immune",
        re.compile(r"\b(boost\w*|improv\w*|strengthen\w*|work\w* on)\s+(your\s+|the\s+)?immun(e|ity)\b", re.I),
        "no good evidence links massage to immunity: leave the claim out",
    ),
    Claim(
        "claim-clinically-proven",
        re.compile(r"\bclinically[- ]proven\b", re.I),
        "say what the studies found and how strong the evidence is, with a source",
    ),
    Claim(
        "claim-instant-relief",
        re.compile(r"\b(instant|immediate)\s+relief\b", re.I),
        "say 'some people feel a little better for a short time'",
    ),
    Claim(
        "claim-permanent",
        re.compile(
            r"\b(eliminat|erad|banish|end)\w*\b[^.!?]{0,60}?\b(permanently|for good|forever)\b"
            r"|\bpermanent(ly)?\s+(cure|fix|relief|solution|result)s?\b|\bnever (comes?|coming) back\b",
            re.I,
        ),
        "sciatica can come back: say what may help and for how long, with a source",
    ),
    Claim(
        "claim-every-time",
        re.compile(r"\bwork(s|ed)? (every time|for everyone|for everybody)\b", re.I),
        "say how many people it helped in studies, with a source",
    ),
    # Transitive "heals the nerve" or a treatment that heals; not "the pain eases while it heals"
    Claim(
        "claim-heals",
        re.compile(
            r"\bheals?\s+(the|your|a|an|any|all|sciatica|sciatic|back|nerves?|pain|discs?|injur\w*|damage|muscles?|body)\b"
            r"|\b(massage|cupping|acupressure|therapy|treatment|technique|oil|honey|touch)s?\s+(can\s+|will\s+|to\s+|that\s+)?heals?\b",
            re.I,
        ),
        "massage does not heal the nerve or the disc: say what it may ease",
    ),
)

NEGATION = re.compile(
    r"\b(no|not|nobody|none|cannot|can't|can ?not|never|nothing|neither|nor|without|isn't|aren't|"
    r"doesn't|don't|won't|didn't|unlikely|n't)\b",
    re.I,
)
# A frame earlier in the sentence that denies what follows
DENIAL = re.compile(
    r"\b(no|little|not enough|weak|poor) (good |strong |reliable |clear |high[- ]quality )?evidence\b"
    r"|\bnot true\b|\bmyths?\b|\bfalse\b|\bdo(es)?(n't| not) (show|prove|mean)\b"
    r"|\bnever been (shown|proven|proved)\b|\bno (study|studies|trial|trials|research)\b",
    re.I,
)
# Reported speech of sellers: "be wary of adverts that promise a cure"
ATTRIBUTION = re.compile(
    r"\b(adverts?|advertis\w+|ads|marketing|sellers?|salespeople|promis\w+|claim(s|ing)? (that|to))\b"  # codespell:ignore advertis,promis
    r"|\b(be wary|beware|be careful|be suspicious)\b",
    re.I,
)
CLAUSE = re.compile(r"[,;:()\u2013\u2014]|\s-\s|\b(?:but|however|yet|although|though|while|whereas|because)\b", re.I)
SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")

MARKER = re.compile(r"\{:?[^}]*\.seed-quote\b[^}]*\}")
ALLOW = re.compile(r"<!--\s*claim-ok\b:?\s*(.*?)\s*-->", re.S)
URL = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w.-]+\.(?:org|com|uk|gov|net|int|edu)(?:/\S*)?", re.I)
INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u206a-\u206f\ufeff]"
)
# Letters from other alphabets that look like Latin ones (Unicode confusables, the common ones)
CONFUSABLES = str.maketrans(
    "аеорсухіјѕԁɡһӏԛԝАВЕКМНОРСТХІЈЅԌαβεικνορτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdghlqwABEKMHOPCTXIJSGabeikvoptuxABEZHIKMNOPTYX",
)
BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "figcaption", "summary", "caption")
CONTAINERS = BLOCKS + ("ul", "ol", "div", "table", "blockquote", "pre", "details", "dl", "figure", "section")
NOT_TEXT = ("script", "style", "template", "code", "pre", "cite", "rt", "rp")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = INVISIBLE.sub("", text).translate(CONFUSABLES)
    return " ".join(text.split())


def _inline_text(node, pieces: list[str]) -> None:
    """The node's own text, nested blocks left to their own turn (joined
    without separators, as a browser shows "cu<em>r</em>e")."""
    if node.text:
        pieces.append(node.text)
    for child in node:
        if isinstance(child.tag, str):
            tag = child.tag
            if is_popover(child) or (tag == "button" and has_class(child, "glossary-close")):
                pass  # a glossary definition is its own unit (units()); its Close button no text
            elif tag in CONTAINERS:
                pieces.append(" ")
            elif tag == "br":
                pieces.append(" ")
            elif tag in NOT_TEXT or (tag == "a" and re.match(r"\s*(https?:)?//", child.get("href") or "")):
                pieces.append(" ")  # code, a cited source's title: not the site's own claim
            else:
                _inline_text(child, pieces)
        if child.tail:
            pieces.append(child.tail)


# What the rules read ---------------------------------------------------------------


@dataclass
class Unit:
    text: str
    origin: str  # "page", "meta:<key>", "nav", "glossary"


def _valid_seed_quotes(page, ctx, findings: list) -> set:
    """Blockquotes marked as seed quotes whose marker and words check out."""
    valid = set()
    seeds = ctx.site.root / SEEDS_DIR
    for marked in find_all(page.tree, class_="seed-quote"):
        quote = marked if marked.tag == "blockquote" else ancestor(marked, "blockquote")
        name = marked.get("data-seed") or ""
        where = page.line_of(re.compile(re.escape(name) if name else r"\.seed-quote")) or page.line_of(MARKER) or (1, 1)
        if quote is None or not name:
            findings.append(
                page.finding(
                    *where,
                    "seed-quote-marker",
                    "a .seed-quote marker must sit on a blockquote and name its article",
                    'write > "quote" then > { .seed-quote data-search-exclude data-seed="003_53b669692b53e4fa.txt" }',
                )
            )
            continue
        if not seeds.is_dir():
            if any(f.rule == "seed-quote-marker" and "is missing" in f.message for f in findings):
                valid.add(quote)
                continue
            findings.append(
                page.finding(
                    *where,
                    "seed-quote-marker",
                    f"cannot check the quote: {SEEDS_DIR}/ is missing",
                    f"add the seed articles to {SEEDS_DIR}/",
                    severity=Severity.WARNING,
                )
            )
            valid.add(quote)
            continue
        article = seeds / Path(name).name
        if Path(name).name != name or not article.is_file():
            findings.append(
                page.finding(
                    *where,
                    "seed-quote-marker",
                    f"data-seed names no seed article: {name!r}",
                    f"use the file name of an article in {SEEDS_DIR}/",
                )
            )
            continue
        words = _plain(text_of(quote))
        source = _seed_text(str(article))
        parts = [p for p in re.split(r"\s*(?:\.\.\.|…)\s*", words) if p]
        if not parts or not all(part in source for part in parts):
            findings.append(
                page.finding(
                    *where,
                    "seed-quote-marker",
                    f"the quoted words are not in {name}",
                    "quote the article word for word (use ... for a gap), or do not mark it",
                )
            )
            continue
        valid.add(quote)
    if ".seed-quote" in text_of(page.tree):
        findings.append(
            page.finding(
                *(page.line_of(MARKER) or (1, 1)),
                "seed-quote-marker",
                "the seed-quote marker was not applied (it shows as text)",
                "put the { .seed-quote ... } marker on the last line of the quoted paragraph",
            )
        )
    return valid


def _plain(text: str) -> str:
    text = normalise(text).lower().replace("…", "...")
    text = re.sub(r"[\"'“”‘’«»]", "", text)
    return " ".join(re.sub(r"[^\w.…]+", " ", text).split())


@lru_cache(maxsize=64)
def _seed_text(path: str) -> str:
    try:
        return _plain(Path(path).read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return ""


def units(page, ctx, skip_quotes: set) -> list[Unit]:
    found = []
    for node in find_all(page.tree, BLOCKS):
        if any(a.tag in NOT_TEXT or is_popover(a) for a in node.iterancestors()):
            continue
        quote = ancestor(node, "blockquote")
        if quote is not None and (
            quote in skip_quotes or any(a in skip_quotes for a in node.iterancestors("blockquote"))
        ):
            continue
        pieces: list[str] = []
        _inline_text(node, pieces)
        text = "".join(pieces).replace("¶", " ")
        if text.strip():
            found.append(Unit(text, "page"))
    seen = set()
    for definition in popovers(page.tree):
        pieces = []
        _inline_text(definition, pieces)
        text = "".join(pieces)
        if text.strip() and text not in seen:
            seen.add(text)
            found.append(Unit(text, "glossary"))
    for key, value in page.meta.items():
        if isinstance(value, str):
            found.append(Unit(value, f"meta:{key}"))
    title = nav_titles(str(ctx.site.root / "mkdocs.yml")).get(page.docs_path or "")
    if title:
        found.append(Unit(title[0], "nav"))
    return found


@lru_cache(maxsize=8)
def nav_titles(config: str) -> dict[str, tuple[str, int]]:
    """docs path -> (nav title, line in mkdocs.yml)."""
    try:
        text = Path(config).read_text(encoding="utf-8")
    except OSError:
        return {}
    found = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = re.match(r"^\s*-\s+(.+?):\s+([\w./-]+\.md)\s*$", line)
        if match:
            found[match.group(2)] = (match.group(1).strip("'\""), number)
    return found


# Where a claim was written ------------------------------------------------------------


class Source:
    """A file's text, normalised as the rendered text is, with each
    position's line, so a claim found in the rendered page is reported
    where it was written."""

    def __init__(self, display: str, lines: list[str]):
        self.display, self.lines = display, lines
        text = "\n".join(lines)
        text = re.sub(r"<!--.*?(-->|\Z)", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)
        self.text_parts, self.starts = [], []
        offset = 0
        for number, line in enumerate(text.split("\n"), 1):
            line = re.sub(r"\]\([^)]*\)|\{[^}]*\}|<[^>]*>", " ", line)
            line = re.sub(r"[*_`~=^\[\]]", "", html.unescape(line))
            line = URL.sub(" ", normalise(line)) + " "
            self.starts.append((offset, number))
            self.text_parts.append(line)
            offset += len(line)
        self.text = "".join(self.text_parts)
        self.used: set[int] = set()

    def find(self, pattern: re.Pattern, wanted: str) -> tuple[int, int] | None:
        for match in pattern.finditer(self.text):
            if match.group(0).lower() == wanted.lower() and match.start() not in self.used:
                self.used.add(match.start())
                line = next(n for start, n in reversed(self.starts) if start <= match.start())
                raw = self.lines[line - 1] if line - 1 < len(self.lines) else ""
                col = raw.lower().find(wanted.split()[0].lower())
                return line, col + 1 if col >= 0 else 1
        return None


@lru_cache(maxsize=64)
def _snippet(path: str, mtime: float) -> tuple[str, list[str]]:
    return path, Path(path).read_text(encoding="utf-8", errors="replace").split("\n")


def snippet_sources(site) -> list[Source]:
    sources = []
    for folder in site.snippet_dirs:
        for path in sorted(Path(folder).rglob("*.md")):
            _, lines = _snippet(str(path), path.stat().st_mtime)
            try:
                shown = path.resolve().relative_to(site.root.resolve()).as_posix()
            except ValueError:
                shown = str(path)
            sources.append(Source(shown, lines))
    return sources


# The checks ----------------------------------------------------------------------------


def _sentence(text: str, start: int, end: int) -> tuple[str, str]:
    """(the sentence up to the match, the mark that ends the sentence)."""
    before = SENTENCE_END.split(text[:start])[-1]
    after = SENTENCE_END.search(text, end)
    return before, (after.group(0)[-1] if after else "")


def exempt(text: str, match: re.Match, claim: Claim) -> bool:
    before, mark = _sentence(text, match.start(), match.end())
    if mark == "?":
        return True
    if ATTRIBUTION.search(before):
        return True
    if not claim.negatable:
        return False
    clause = re.split(CLAUSE, before)[-1]
    if NEGATION.search(" ".join(clause.split()[-3:])):
        return True
    return bool(DENIAL.search(before))


def _allowed_lines(page, findings: list) -> dict[int, str]:
    """Source lines an allow comment covers: its own, and the paragraph after it."""
    covered = {}
    text = "\n".join(page.lines)
    for match in ALLOW.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        reason = match.group(1).strip()
        if len(reason.split()) < 3:
            findings.append(
                page.finding(
                    line,
                    1,
                    "claim-allow",
                    "a claim-ok comment needs a written reason",
                    "say why the claim stays, e.g. <!-- claim-ok: quoting the advert we warn about -->",
                )
            )
            continue
        covered[line] = reason
        index = line  # 0-based index of the next line
        while index < len(page.lines) and not page.lines[index].strip():
            index += 1
        while index < len(page.lines) and page.lines[index].strip():
            covered[index + 1] = reason
            index += 1
    return covered


def check(page, ctx):
    findings: list = []
    valid_quotes = _valid_seed_quotes(page, ctx, findings)
    allowed = _allowed_lines(page, findings)
    page.allowed = 0
    own = Source(page.display, page.lines)
    own.starts = [(o, n) for o, n in own.starts]
    snippets = None
    reported = set()
    for unit in units(page, ctx, valid_quotes):
        text = URL.sub(" ", normalise(unit.text))
        for claim in CLAIMS:
            for match in claim.pattern.finditer(text):
                if exempt(text, match, claim):
                    continue
                where = _locate(page, ctx, unit, claim, match.group(0), own, snippets if snippets is not None else None)
                if where is None:
                    snippets = snippets if snippets is not None else snippet_sources(ctx.site)
                    where = _locate(page, ctx, unit, claim, match.group(0), own, snippets)
                display, line, col = where
                if display == page.display and line in allowed:
                    page.allowed += 1
                    continue
                key = (display, line, col, claim.rule)
                if key in reported:
                    continue
                reported.add(key)
                findings.append(
                    Finding(display, line, col, claim.rule, f"absolute claim: '{match.group(0)}'", claim.hint)
                )
    yield from findings


def _locate(page, ctx, unit: Unit, claim: Claim, wanted: str, own: Source, snippets):
    if unit.origin.startswith("meta:"):
        return page.display, page.meta_line(unit.origin[5:]), 1
    if unit.origin == "nav":
        title = nav_titles(str(ctx.site.root / "mkdocs.yml")).get(page.docs_path or "")
        return "mkdocs.yml", title[1] if title else 1, 1
    found = own.find(claim.pattern, wanted)
    if found:
        return page.display, found[0], found[1]
    if snippets is None:
        return None
    for source in snippets:
        found = source.find(claim.pattern, wanted)
        if found:
            return source.display, found[0], found[1]
    return page.display, page.body_start + 1, 1
