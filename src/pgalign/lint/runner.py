"""Run every rule over every statement of a migration, in order."""

from __future__ import annotations

from pathlib import Path

from pglast import ast, parser

from pgalign.lint.context import FileContext
from pgalign.lint.ignore import UNKNOWN_RULE, ignored_rules
from pgalign.lint.model import Finding, Severity
from pgalign.lint.registry import RULE_IDS, RULES
from pgalign.migrations.directory import MigrationFile
from pgalign.migrations.statements import split_sql


def lint_sql(sql: str, path: str | Path = "<sql>") -> list[Finding]:
    """The findings for migration SQL; a syntax error raises MigrationFileError (file:line:col)."""
    statements = split_sql(sql, path)  # validates the SQL and numbers the lines
    raw = parser.parse_sql(sql)
    spans = [_span(stmt, len(sql)) for stmt in raw]
    ignored = ignored_rules(sql, spans)
    ctx = FileContext()
    findings: list[Finding] = []
    for statement, stmt, (start, end), skip in zip(statements, raw, spans, ignored, strict=True):
        node = stmt.stmt
        if node is None:
            continue
        text = sql[start:end].strip()
        unknown = sorted(skip - RULE_IDS)
        if unknown:  # a typo would otherwise silence nothing, silently
            message = f"pgalign-lint: ignore names no rule called {', '.join(unknown)}"
            findings.append(
                Finding(UNKNOWN_RULE, Severity.WARNING, str(path), statement.line, text, message)
            )
        for rule in RULES:
            findings.extend(
                Finding(rule.id, rule.severity, str(path), statement.line, text, message)
                for message in rule.check(node, ctx)
                if rule.id not in skip
            )
        ctx.observe(node)
    return findings


def lint_migration(migration: MigrationFile) -> list[Finding]:
    """The findings for one migration file (MigrationFileError if it is unreadable or bad SQL)."""
    return lint_sql(migration.read_text(), migration.path)


def _span(stmt: ast.RawStmt, length: int) -> tuple[int, int]:
    start = stmt.stmt_location or 0
    return start, start + stmt.stmt_len if stmt.stmt_len else length
