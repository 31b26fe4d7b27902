"""The rules. Each module has check(page, ctx) yielding Findings; RULES runs them in order."""

from . import citations, claims, disclaimer, front_matter, markup, readability, sections, urgency

RULES = (
    front_matter.check,
    disclaimer.check,
    sections.check,
    citations.check,
    claims.check,
    urgency.check,
    markup.check,
    readability.check,
)

# Inside MkDocs every build pays for each rule: readability only ever warns and
# needs a 1-2 s dictionary load, so `make lint` reports it and the hook does not
HOOK_RULES = tuple(rule for rule in RULES if rule is not readability.check)

# Every rule id, with what it checks (for --list-rules, CONTRIBUTING and the docs)
RULE_IDS = {
    **front_matter.RULE_IDS,
    **disclaimer.RULE_IDS,
    **sections.RULE_IDS,
    **citations.RULE_IDS,
    **claims.RULE_IDS,
    **urgency.RULE_IDS,
    **markup.RULE_IDS,
    **readability.RULE_IDS,
    "file-encoding": "the file is not valid UTF-8",
    "file-unreadable": "the file cannot be read",
    "snippet-missing": "an --8<-- include names a file that does not exist",
    "registry-invalid": "an entry of docs/includes/references.yml lacks a field, repeats an id or a source, or has a bad value",
    "site-disclaimer": "a built HTML page lacks the rendered disclaimer (--site)",
    "site-review-block": "a built HTML page lacks the review block (--site)",
}
