"""Migration linter: hazards a reviewer looks for, found in pglast parse trees."""

from pgalign.lint.model import Finding, Rule, Severity
from pgalign.lint.registry import RULES
from pgalign.lint.runner import lint_migration, lint_sql

__all__ = ["RULES", "Finding", "Rule", "Severity", "lint_migration", "lint_sql"]
