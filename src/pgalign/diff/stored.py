"""Which table columns store values of a type: such a type cannot simply be dropped."""

from __future__ import annotations

from pgalign.catalog.model import Catalog, Column, RangeType, Table, UserType


def type_names(usertype: UserType) -> frozenset[str]:
    """The names a column of the type is declared with: a range's multirange's too."""
    names = {usertype.qualified}
    if isinstance(usertype, RangeType) and usertype.multirange:
        names.add(usertype.multirange)
    return frozenset(names)


def stored_in(usertype: UserType, catalog: Catalog) -> list[tuple[Table, Column]]:
    """The columns declared with the type, or an array of it (partitions' come from their
    parent), with their tables."""
    found = catalog.columns_by_type
    return [pair for name in sorted(type_names(usertype)) for pair in found.get(name, ())]
