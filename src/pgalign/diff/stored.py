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


def stored_through(usertype: UserType, catalog: Catalog) -> bool:
    """Whether columns or typed tables store the type, or a type built on it (a domain over
    it, a composite type with an attribute of it), however deep."""
    typed = {table.of_type for table in catalog.tables}
    seen = {usertype.key}
    todo = [usertype]
    while todo:
        found = todo.pop()
        if found.qualified in typed or stored_in(found, catalog):
            return True
        for key, needs in catalog.dependencies.items():
            other = catalog.objects.get(key)
            if key not in seen and found.key in needs and isinstance(other, UserType):
                seen.add(key)
                todo.append(other)
    return False
