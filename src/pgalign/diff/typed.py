"""Typed tables (CREATE TABLE ... OF type): a table whose columns are a composite type's."""

from __future__ import annotations

from pgalign.catalog.model import CompositeType, Table
from pgalign.diff.common import Context
from pgalign.diff.plan import Statement


def linked(table: Table) -> list[Statement]:
    """A table created or altered with plain columns, then tied to its type: the columns
    match the type's attributes by then, which is all ALTER TABLE ... OF asks."""
    if table.of_type is None:
        return []
    key = ("type", table.of_type)
    return [Statement(f"ALTER TABLE {table.qualified} OF {table.of_type}", after=frozenset({key}))]


def relinked(old: Table, new: Table, ctx: Context) -> tuple[list[Statement], list[Statement]]:
    """What unties a typed table from its type before the plan changes either, and ties it
    again after: PostgreSQL changes no column of a typed table, nor the type's attributes
    while a table is of it (short of CASCADE, which would do the table's changes twice)."""
    if old.of_type is None:
        return [], linked(new)
    key = ("type", old.of_type)
    before, after = ctx.source.objects.get(key), ctx.target.objects.get(key)
    if (
        old.of_type == new.of_type
        and key not in ctx.dropped
        and isinstance(before, CompositeType)
        and isinstance(after, CompositeType)
        and before.attributes == after.attributes
    ):
        return [], []
    return [Statement(f"ALTER TABLE {old.qualified} NOT OF")], linked(new)
