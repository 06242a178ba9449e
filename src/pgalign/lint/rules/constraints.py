"""Constraints added to existing tables that PostgreSQL validates by scanning every row."""

from __future__ import annotations

from collections.abc import Iterator

from pglast import ast
from pglast.enums import AlterTableType, ConstrType

from pgalign.lint.context import FileContext

_VALIDATED = {ConstrType.CONSTR_CHECK: "CHECK", ConstrType.CONSTR_FOREIGN: "FOREIGN KEY"}
_INDEXED = {
    ConstrType.CONSTR_UNIQUE: "UNIQUE",
    ConstrType.CONSTR_PRIMARY: "PRIMARY KEY",
    ConstrType.CONSTR_EXCLUSION: "EXCLUDE",
}


def constraint_missing_not_valid(node: ast.Node, ctx: FileContext) -> Iterator[str]:
    for table, cmd in ctx.existing_table_commands(node, AlterTableType.AT_AddConstraint):
        kind = _validated_kind(cmd.def_)
        if kind and isinstance(cmd.def_, ast.Constraint) and not cmd.def_.skip_validation:
            yield (
                f"ADD {kind} on {table} checks every existing row while holding a lock that "
                "blocks writes"
            )
    for table, cmd in ctx.existing_table_commands(node, AlterTableType.AT_AddColumn):
        column = cmd.def_
        if not isinstance(column, ast.ColumnDef):
            continue
        for kind in filter(None, map(_validated_kind, column.constraints or ())):
            yield (
                f"ADD COLUMN {table}.{column.colname} with an inline {kind} validates it "
                "while holding a lock that blocks writes; NOT VALID cannot be written inline"
            )


def disallowed_unique_constraint(node: ast.Node, ctx: FileContext) -> Iterator[str]:
    for table, cmd in ctx.existing_table_commands(node, AlterTableType.AT_AddConstraint):
        constraint = cmd.def_
        if not isinstance(constraint, ast.Constraint) or constraint.indexname:
            continue  # USING INDEX adopts an index built beforehand, CONCURRENTLY
        kind = _INDEXED.get(constraint.contype) if constraint.contype is not None else None
        if kind:
            yield (f"ADD {kind} on {table} builds its index while holding an ACCESS EXCLUSIVE lock")


def _validated_kind(node: object) -> str | None:
    """CHECK or FOREIGN KEY, the constraints PostgreSQL checks against existing rows."""
    if isinstance(node, ast.Constraint) and node.contype is not None:
        return _VALIDATED.get(node.contype)
    return None
