"""Which table columns store values of a type: such a type cannot simply be dropped."""

from __future__ import annotations

from pgalign.catalog.model import Catalog, Column, RangeType, Table, UserType


def type_names(usertype: UserType) -> frozenset[str]:
    """The names a column of the type is declared with: a range's multirange's too."""
    names = {usertype.qualified}
    if isinstance(usertype, RangeType):
        names.update(
            value for option, value in usertype.options if option == "multirange_type_name"
        )
    return frozenset(names)


def stored_in(usertype: UserType, catalog: Catalog) -> list[tuple[Table, Column]]:
    """The columns declared with the type, or an array of it (partitions' come from their
    parent), with their tables."""
    names = type_names(usertype)
    return [
        (table, col)
        for table in catalog.tables
        if not table.partition_of
        for col in table.columns
        if col.local and col.type.removesuffix("[]") in names
    ]
