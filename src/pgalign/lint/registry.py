"""Every lint rule, its id (named like Squawk's where one exists) and its severity.

docs/lint-rules.md describes the same rules for people; a test keeps the two in step.
"""

from __future__ import annotations

from pgalign.lint.model import Rule, Severity
from pgalign.lint.rules import columns, constraints, destructive, locking, renames

ERROR, WARNING = Severity.ERROR, Severity.WARNING

RULES: tuple[Rule, ...] = (
    Rule("ban-drop-table", ERROR, "DROP TABLE of an existing table", destructive.ban_drop_table),
    Rule("ban-drop-column", ERROR, "ALTER TABLE ... DROP COLUMN", destructive.ban_drop_column),
    Rule("ban-drop-schema", ERROR, "DROP SCHEMA", destructive.ban_drop_schema),
    Rule(
        "ban-drop-cascade",
        WARNING,
        "DROP ... CASCADE, also ALTER TABLE ... DROP COLUMN/CONSTRAINT ... CASCADE",
        destructive.ban_drop_cascade,
    ),
    Rule("ban-truncate-cascade", ERROR, "TRUNCATE ... CASCADE", destructive.ban_truncate_cascade),
    Rule(
        "adding-required-field",
        ERROR,
        "ADD COLUMN ... NOT NULL without DEFAULT on an existing table",
        columns.adding_required_field,
    ),
    Rule(
        "adding-field-with-default",
        WARNING,
        "ADD COLUMN with a volatile default, serial, identity or stored generated column",
        columns.adding_field_with_default,
    ),
    Rule(
        "adding-not-nullable-field",
        WARNING,
        "ALTER COLUMN ... SET NOT NULL on an existing table",
        columns.adding_not_nullable_field,
    ),
    Rule(
        "changing-column-type",
        WARNING,
        "ALTER COLUMN ... TYPE on an existing table",
        columns.changing_column_type,
    ),
    Rule(
        "constraint-missing-not-valid",
        WARNING,
        "ADD CHECK or FOREIGN KEY without NOT VALID on an existing table",
        constraints.constraint_missing_not_valid,
    ),
    Rule(
        "disallowed-unique-constraint",
        WARNING,
        "ADD UNIQUE, PRIMARY KEY or EXCLUDE without USING INDEX on an existing table",
        constraints.disallowed_unique_constraint,
    ),
    Rule("renaming-table", WARNING, "ALTER TABLE ... RENAME TO", renames.renaming_table),
    Rule("renaming-column", WARNING, "ALTER TABLE ... RENAME COLUMN", renames.renaming_column),
    Rule(
        "require-concurrent-index-creation",
        WARNING,
        "CREATE INDEX without CONCURRENTLY on an existing table",
        locking.require_concurrent_index_creation,
    ),
    Rule(
        "ban-concurrently-in-transaction",
        ERROR,
        "CREATE/DROP/REINDEX ... CONCURRENTLY between BEGIN and COMMIT",
        locking.ban_concurrently_in_transaction,
    ),
    Rule(
        "require-lock-timeout",
        WARNING,
        "an ACCESS EXCLUSIVE lock on an existing table with no lock_timeout set before it",
        locking.require_lock_timeout,
    ),
)

RULE_IDS = frozenset(rule.id for rule in RULES)
