"""`-- pgalign-lint: ignore <rule>[, <rule>...]` in the comments right before a statement.

Comments come from PostgreSQL's own scanner, so a directive inside a string literal or a
function body is not a directive.
"""

from __future__ import annotations

from pglast import parser

# The finding for a directive that names no rule.
UNKNOWN_RULE = "unknown-rule-in-ignore"
_PREFIX = "pgalign-lint:"
_VERB = "ignore"
_COMMENTS = {"SQL_COMMENT", "C_COMMENT"}


def ignored_rules(sql: str, spans: list[tuple[int, int]]) -> list[frozenset[str]]:
    """For each statement span (start, end), the rules its leading comments ignore."""
    comments = [
        (token.start, token.end + 1) for token in parser.scan(sql) if token.name in _COMMENTS
    ]
    result: list[frozenset[str]] = []
    previous_end = 0
    for start, end in spans:
        rules: set[str] = set()
        for comment_start, comment_end in comments:
            if previous_end <= comment_start and comment_end <= start:
                rules |= directive_rules(sql[comment_start:comment_end])
        result.append(frozenset(rules))
        previous_end = end
    return result


def directive_rules(comment: str) -> set[str]:
    """The rule ids a single comment ignores (empty if it is not a directive)."""
    text = comment.removeprefix("--").removeprefix("/*").removesuffix("*/").strip()
    if not text.startswith(_PREFIX):
        return set()
    words = text[len(_PREFIX) :].replace(",", " ").split()
    if not words or words[0] != _VERB:
        return set()
    return set(words[1:])
