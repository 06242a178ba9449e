"""Column changes on existing tables: required columns, rewrites, full scans."""

from __future__ import annotations

from collections.abc import Iterator

from pglast import ast
from pglast.enums import AlterTableType, ConstrType

from pgalign.lint.context import FileContext
from pgalign.lint.volatility import is_serial, known_volatile, volatile_call

# Kinds of columns PostgreSQL fills in by itself for existing rows.
_SELF_FILLING = (ConstrType.CONSTR_DEFAULT, ConstrType.CONSTR_IDENTITY, ConstrType.CONSTR_GENERATED)


def adding_required_field(node: ast.Node, ctx: FileContext) -> Iterator[str]:
    for table, column in _added_columns(node, ctx):
        kinds = _constraint_kinds(column)
        required = bool(column.is_not_null) or bool(
            kinds & {ConstrType.CONSTR_NOTNULL, ConstrType.CONSTR_PRIMARY}
        )
        if required and not kinds & set(_SELF_FILLING) and not is_serial(column.typeName):
            yield (
                f"ADD COLUMN {table}.{column.colname} is NOT NULL without a DEFAULT: it fails "
                "as soon as the table has a row"
            )


def adding_field_with_default(node: ast.Node, ctx: FileContext) -> Iterator[str]:
    for table, column in _added_columns(node, ctx):
        reason = _rewrite_reason(column)
        if reason:
            yield f"ADD COLUMN {table}.{column.colname} {reason}"


def adding_not_nullable_field(node: ast.Node, ctx: FileContext) -> Iterator[str]:
    for table, cmd in ctx.existing_table_commands(node, AlterTableType.AT_SetNotNull):
        yield (
            f"SET NOT NULL on {table}.{cmd.name} scans the whole table under an ACCESS "
            "EXCLUSIVE lock"
        )


def changing_column_type(node: ast.Node, ctx: FileContext) -> Iterator[str]:
    for table, cmd in ctx.existing_table_commands(node, AlterTableType.AT_AlterColumnType):
        yield (
            f"changing the type of {table}.{cmd.name} can rewrite the table and its indexes "
            "under an ACCESS EXCLUSIVE lock, and breaks code that expects the old type"
        )


def _added_columns(node: ast.Node, ctx: FileContext) -> Iterator[tuple[str, ast.ColumnDef]]:
    """(table, column) for each ADD COLUMN on a table that existed before this file."""
    for table, cmd in ctx.existing_table_commands(node, AlterTableType.AT_AddColumn):
        if isinstance(cmd.def_, ast.ColumnDef):
            yield table, cmd.def_


def _constraints(column: ast.ColumnDef) -> list[ast.Constraint]:
    return [c for c in column.constraints or () if isinstance(c, ast.Constraint)]


def _constraint_kinds(column: ast.ColumnDef) -> set[ConstrType]:
    return {c.contype for c in _constraints(column) if c.contype is not None}


def _rewrite_reason(column: ast.ColumnDef) -> str | None:
    rewrite = "the whole table is rewritten under an ACCESS EXCLUSIVE lock"
    if is_serial(column.typeName):
        return f"is serial, whose nextval() default is volatile: {rewrite}"
    for constraint in _constraints(column):
        if constraint.contype == ConstrType.CONSTR_IDENTITY:
            return f"is an identity column, so every row gets a sequence value: {rewrite}"
        if constraint.contype == ConstrType.CONSTR_GENERATED and constraint.generated_kind != "v":
            # Virtual generated columns (PostgreSQL 18) store nothing.
            return f"is a stored generated column: {rewrite}"
        if constraint.contype == ConstrType.CONSTR_DEFAULT:
            name = volatile_call(constraint.raw_expr)
            if name is not None and known_volatile(name):
                return f"has a volatile default, {name}(): {rewrite}"
            if name is not None:
                return (
                    f"has a default calling {name}(), which pgalign cannot tell is not "
                    f"volatile; if it is, {rewrite}"
                )
    return None
