"""Which table columns store values of a type: such a type cannot simply be dropped."""

from __future__ import annotations

from pgalign.catalog.model import Catalog, Column, Table, UserType


def stored_in(usertype: UserType, catalog: Catalog) -> list[tuple[Table, Column]]:
    """The columns declared with the type, or an array of it (partitions' come from their
    parent), with their tables."""
    return [
        (table, col)
        for table in catalog.tables
        if not table.partition_of
        for col in table.columns
        if col.local and col.type.removesuffix("[]") == usertype.qualified
    ]
