"""Rebuilding a type that table columns store, when PostgreSQL cannot alter it in place:
an enum whose labels were removed or reordered, a composite type whose attributes change
type, a domain whose new constraint would have to check values held in arrays.

The old type is renamed aside, the new one created, every surviving column converted
through text, and the old type dropped at the end. A composite type first gets the new
attribute list in place (ADD and DROP ATTRIBUTE work on a stored type), so that its values'
text reads as the new type's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pgalign.catalog.model import (
    Catalog,
    Column,
    CompositeType,
    Domain,
    EnumType,
    Key,
    Table,
    UserType,
)
from pgalign.diff.plan import Statement
from pgalign.diff.stored import stored_in
from pgalign.diff.tables import retype
from pgalign.diff.types import composite_changes, sql_kind
from pgalign.sql import ident, last_identifier

ASIDE = "__pgalign_old"


@dataclass
class TypeRebuild:
    drops: dict[Key, list[Statement]] = field(default_factory=dict)
    creates: dict[Key, list[Statement]] = field(default_factory=dict)
    retyped: set[Key] = field(default_factory=set)
    # the types handled here: their own drop is the rename aside
    renamed: set[Key] = field(default_factory=set)


def _users(
    usertype: UserType, source: Catalog, target: Catalog
) -> list[tuple[Table, Column, Column | None]]:
    """Surviving tables with a column of the type, that column, and the column as it will be
    (None: dropped; of another type: the table's own alteration converts it)."""
    found = []
    for table, col in stored_in(usertype, source):
        new_table = target.objects.get(table.key)
        if isinstance(new_table, Table) and not new_table.partition_of:
            found.append((new_table, col, new_table.column(col.name)))
    return found


def _first_steps(old: UserType, new: UserType) -> list[Statement] | None:
    """What the old type needs before its values' text reads as the new type's; None when
    this module cannot rebuild it."""
    if isinstance(old, EnumType | Domain) and type(new) is type(old):
        return []
    if isinstance(old, CompositeType) and isinstance(new, CompositeType):
        kept = [a[0] for a in old.attributes if a[0] in {b[0] for b in new.attributes}]
        kept += [b[0] for b in new.attributes if b[0] not in kept]
        if kept != [b[0] for b in new.attributes]:
            return None  # reordered: text would put values in the wrong attributes
        return composite_changes(old, new, retype=False)
    return None


def _unqualified(usertype: UserType) -> str:
    """The type's name as the catalog holds it (not quoted)."""
    if isinstance(usertype, EnumType):
        return usertype.name
    return last_identifier(usertype.qualified)


def rebuild_types(source: Catalog, target: Catalog, replaced: set[Key]) -> TypeRebuild:
    plan = TypeRebuild()
    for key in sorted(replaced):
        old, new = source.objects.get(key), target.objects.get(key)
        if not isinstance(old, UserType) or not isinstance(new, UserType):
            continue
        first = _first_steps(old, new)
        if first is None:
            continue
        users = _users(old, source, target)
        if not users:
            continue
        aside_name = ident(_unqualified(old) + ASIDE)
        aside = f"{old.schema}.{aside_name}"
        plan.renamed.add(key)
        plan.drops.setdefault(key, []).extend(
            [*first, Statement(f"ALTER {sql_kind(old)} {old.qualified} RENAME TO {aside_name}")]
        )
        for table, was, col in users:
            if col is None or col.type.removesuffix("[]") != old.qualified:
                continue
            name = table.qualified
            steps = plan.creates.setdefault(table.key, [])
            # a default that changes too is reset by the table's own alteration
            default = col.default if col.default == was.default else None
            if default is not None:
                plan.drops.setdefault(table.key, []).append(
                    Statement(f"ALTER TABLE {name} ALTER COLUMN {col.name} DROP DEFAULT")
                )
            steps.append(
                Statement(
                    retype(name, col, True).sql,
                    retype(name, col, True).hazards,
                    after=frozenset({key}),
                )
            )
            if default is not None:
                steps.append(
                    Statement(f"ALTER TABLE {name} ALTER COLUMN {col.name} SET DEFAULT {default}")
                )
            plan.retyped.add(("column", f"{name}.{col.name}"))
        plan.creates[("type_aside", key[1])] = [
            Statement(
                f"DROP {sql_kind(old)} {aside}",
                after=frozenset(table.key for table, _, _ in users),
            )
        ]
    return plan
