"""A table's row type stored in another table's column (`create table u(x t)`): PostgreSQL
cannot retype a column of `t` while values of its row type are stored, so those columns
hold text for the while (a row's text form reads back into the new row type)."""

from __future__ import annotations

from pgalign.catalog.model import Column, Table
from pgalign.diff import hazards
from pgalign.diff.common import Context
from pgalign.diff.plan import Statement


def rows_set_aside(table: Table, ctx: Context) -> tuple[list[Statement], list[Statement]]:
    """The statements turning the columns that store `table`'s rows into text, and back
    into its row type once its columns have their new types."""
    early: list[Statement] = []
    late: list[Statement] = []
    for user, before in ctx.source.columns_by_type.get(table.qualified, ()):
        now = ctx.target.objects.get(user.key)
        after = now.column(before.name) if isinstance(now, Table) else None
        if user.key in ctx.dropped or after is None or after.type != before.type:
            continue  # (its own alteration changes it)
        if user.foreign is not None and table.key not in ctx.dropped:
            continue  # stores no rows here: PostgreSQL lets the type change under it
        early.append(_retype(user, before, "text", f"{before.name}::text"))
        late.append(_retype(user, after, after.type, f"{before.name}::text::{after.type}"))
    return early, late


def _retype(table: Table, col: Column, type_name: str, using: str) -> Statement:
    sql = f"ALTER TABLE {table.qualified} ALTER COLUMN {col.name} TYPE {type_name}"
    if table.foreign is not None:  # no rows to convert, and no USING taken
        return Statement(sql, (hazards.exclusive_lock(table.qualified),))
    return Statement(
        f"{sql} USING {using}",
        (
            hazards.rewrites_table(table.qualified, f"changing the type of {col.name}"),
            hazards.exclusive_lock(table.qualified),
        ),
    )
