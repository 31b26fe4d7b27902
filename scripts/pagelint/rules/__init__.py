"""The rules. Each module has check(page, ctx) yielding Findings; RULES runs them in order."""

from . import (
    card_copies,
    citations,
    claims,
    disclaimer,
    front_matter,
    front_matter_markup,
    markup,
    readability,
    sections,
    triage,
    urgency,
)

RULES = (
    front_matter.check,
    front_matter_markup.check,
    disclaimer.check,
    sections.check,
    citations.check,
    claims.check,
    urgency.check,
    triage.check,
    card_copies.check,
    markup.check,
    readability.check,
)

# Inside MkDocs every build pays for each rule: readability only ever warns and
# needs a 1-2 s dictionary load, so `make lint` reports it and the hook does not
HOOK_RULES = tuple(rule for rule in RULES if rule is not readability.check)

# Every rule id, with what it checks (for --list-rules, CONTRIBUTING and the docs)
RULE_IDS = {
    **front_matter.RULE_IDS,
    **front_matter_markup.RULE_IDS,
    **disclaimer.RULE_IDS,
    **sections.RULE_IDS,
    **citations.RULE_IDS,
    **claims.RULE_IDS,
    **urgency.RULE_IDS,
    **triage.RULE_IDS,
    **card_copies.RULE_IDS,
    **markup.RULE_IDS,
    **readability.RULE_IDS,
    "file-encoding": "the file is not valid UTF-8",
    "file-unreadable": "the file cannot be read",
    "snippet-missing": "an --8<-- include names a file that does not exist",
    "symlink-outside": "the page is a symbolic link to a file outside docs/",
    "file-too-large": "the file is over the size limit (pagelint/limits.py)",
    "line-too-long": "a line is over the length limit",
    "too-many-brackets": "too many '[' in one block (Markdown would take minutes)",
    "nesting-too-deep": "lists, quotes or indentation nested over the limit",
    "lint-crash": "the lint itself failed on the page (a bug: report it)",
    "review-record-invalid": "a clinical review record in docs/includes/reviews.yml lacks the reviewer's registration, is dated in the future, or is signed off with a finding open",
    "registry-invalid": "an entry of docs/includes/references.yml lacks a field, repeats an id or a source, or has a bad value",
    "site-disclaimer": "a built HTML page lacks the rendered disclaimer (--site)",
    "site-review-block": "a built HTML page lacks the review block (--site)",
}
