"""Rebuilding a type that table columns store, when PostgreSQL cannot alter it in place:
an enum whose labels were removed or reordered, a composite type whose attributes change
type, a domain whose new constraint would have to check values held in arrays, a range of
another subtype; and the types built on such a type (a domain over an enum).

The old type is renamed aside, the new one created, every surviving column converted
through text, and the old type dropped at the end. A composite type's columns are
converted attribute by attribute, by name; where they cannot be (an array of it, a type
built on it), the old type first gets the new attribute list in place (ADD and DROP
ATTRIBUTE work on a stored type), so that its values' text reads as the new type's.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from pgalign.catalog.model import (
    Catalog,
    Column,
    CompositeType,
    Domain,
    EnumType,
    Key,
    RangeType,
    Table,
    UserType,
)
from pgalign.diff.drop_order import aside_node
from pgalign.diff.plan import Statement
from pgalign.diff.stored import stored_in, type_names
from pgalign.diff.tables import retype
from pgalign.diff.types import composite_changes, sql_kind
from pgalign.sql import ident, last_identifier, partition_key_columns

ASIDE = "__pgalign_old"


@dataclass
class TypeRebuild:
    drops: dict[Key, list[Statement]] = field(default_factory=dict)
    creates: dict[Key, list[Statement]] = field(default_factory=dict)
    retyped: set[Key] = field(default_factory=set)
    # the types handled here: their own drop is the rename aside
    renamed: set[Key] = field(default_factory=set)


def _users(
    usertype: UserType, source: Catalog, target: Catalog, replaced: set[Key]
) -> list[tuple[Table, Column, Column | None]]:
    """Surviving tables with a column of the type, that column, and the column as it will be
    (None: dropped; of another type: the table's own alteration converts it)."""
    found = []
    for table, col in stored_in(usertype, source):
        new_table = target.objects.get(table.key)
        if table.key in replaced:
            continue
        if isinstance(new_table, Table) and not new_table.partition_of:
            found.append((new_table, col, new_table.column(col.name)))
    return found


def _first_steps(old: UserType, new: UserType, values_kept: bool) -> list[Statement] | None:
    """What the old type needs before its values' text reads as the new type's (when
    `values_kept`: a column stays of the type); None when this module cannot rebuild it."""
    if isinstance(old, EnumType | Domain) and type(new) is type(old):
        return []
    if isinstance(old, RangeType) and isinstance(new, RangeType):
        return _range_companions_aside(old)
    if isinstance(old, CompositeType) and isinstance(new, CompositeType):
        if not values_kept:  # the columns that leave the type convert in their own ALTER
            return []
        kept = [a[0] for a in old.attributes if a[0] in {b[0] for b in new.attributes}]
        kept += [b[0] for b in new.attributes if b[0] not in kept]
        if kept == [b[0] for b in new.attributes]:
            return composite_changes(old, new, retype=False)
        return None  # reordered: text would put values in the wrong attributes
    return None


def _convertible_by_name(old: UserType, kept: list[Column], source: Catalog) -> bool:
    """Whether the columns that keep a composite type can have their values rebuilt
    attribute by attribute (`_by_name`): only plain columns hold it, no array of it, no
    other type built on it, no typed table. (Otherwise through text, after ADD and DROP
    ATTRIBUTE on the old type, which needs the attributes' types to exist already.)"""
    if not kept or not isinstance(old, CompositeType) or any(c.type.endswith("[]") for c in kept):
        return False
    if any(table.of_type == old.qualified for table in source.tables):
        return False
    return not any(
        old.key in needs and key[0] == "type" for key, needs in source.dependencies.items()
    )


def _by_name(value: str, old: CompositeType, new: CompositeType) -> str:
    """A USING expression giving the column's value as `new`, each attribute taken from
    `old`'s of the same name, a new one NULL. Through text: an attribute's type may be
    rebuilt too (the old value then of the type set aside). A NULL value stays NULL
    (num_nulls: IS NULL also holds for a row of NULLs)."""
    before = {name for name, _, _ in old.attributes}
    fields = [
        f"({value}).{name}::text::{typ}" if name in before else "NULL"
        for name, typ, _ in new.attributes
    ]
    row = f"ROW({', '.join(fields)})::{new.qualified}"
    return f"CASE WHEN num_nulls({value}) = 1 THEN NULL ELSE {row} END"


def _range_companions_aside(old: RangeType) -> list[Statement]:
    """A range's constructor functions and its multirange type (with its own constructor)
    keep their names when the range is renamed: they go aside too, or the new range could
    not have them."""
    subtype = old.subtype
    aside = ident(_unqualified(old) + ASIDE)
    out = [
        Statement(f"ALTER FUNCTION {old.qualified}({subtype}, {subtype}) RENAME TO {aside}"),
        Statement(f"ALTER FUNCTION {old.qualified}({subtype}, {subtype}, text) RENAME TO {aside}"),
    ]
    multirange = old.multirange
    if multirange:
        multi_aside = ident(last_identifier(multirange) + ASIDE)
        out.append(Statement(f"ALTER TYPE {multirange} RENAME TO {multi_aside}"))
        out.append(Statement(f"ALTER FUNCTION {multirange}() RENAME TO {multi_aside}"))
    return out


def _unqualified(usertype: UserType) -> str:
    """The type's name as the catalog holds it (not quoted)."""
    if isinstance(usertype, EnumType):
        return usertype.name
    return last_identifier(usertype.qualified)


def types_built_on(source: Catalog, target: Catalog, replaced: set[Key]) -> set[Key]:
    """Types that stay but are built on a replaced type or collation (a domain over it, a
    composite type with an attribute of it): they cannot be pointed at the new one, so go
    with it."""
    found: set[Key] = set()
    gone = {key for key in replaced if key[0] in ("type", "collation")}
    while gone:
        gone = {
            key
            for key, needs in source.dependencies.items()
            if key[0] == "type"
            and key not in replaced
            and key not in found
            and key in target.objects
            and not needs.isdisjoint(gone)
        }
        found |= gone
    return found


def tables_keyed_on(source: Catalog, target: Catalog, replaced: set[Key]) -> set[Key]:
    """Partitioned tables that stay but whose partition key is a column of a replaced type:
    PostgreSQL cannot change a key column's type, so the table is replaced (data lost)."""
    names: set[str] = set()
    for key in replaced:
        usertype = source.objects.get(key)
        if isinstance(usertype, UserType):
            names |= type_names(usertype)
    found: set[Key] = set()
    for table in source.tables if names else ():
        if not table.partition_key or table.key in replaced or table.key not in target.objects:
            continue
        stored = {
            last_identifier(c.name) for c in table.columns if c.type.removesuffix("[]") in names
        }
        if stored & partition_key_columns(table.partition_key):
            found.add(table.key)
    return found


def rebuild_types(source: Catalog, target: Catalog, replaced: set[Key]) -> TypeRebuild:
    plan = TypeRebuild()
    candidates: dict[Key, tuple[UserType, list[Statement]]] = {}
    users = {}
    by_name: set[Key] = set()  # composite types whose kept columns convert by name
    for key in sorted(replaced):
        old, new = source.objects.get(key), target.objects.get(key)
        if isinstance(old, UserType) and isinstance(new, UserType):
            users[key] = _users(old, source, target, replaced)
            names = type_names(new)
            kept = [
                c for *_, c in users[key] if c is not None and c.type.removesuffix("[]") in names
            ]
            if _convertible_by_name(old, kept, source):
                first: list[Statement] | None = []
                by_name.add(key)
            else:
                first = _first_steps(old, new, bool(kept))
            if first is not None:
                candidates[key] = (old, first)
    built_on = {
        key: {other for other in candidates if key in source.depends_on(other)}
        for key in candidates
    }
    # Set aside: a type that columns store, and one that a type set aside is built on.
    aside = {key for key in candidates if users[key]}
    while more := {key for key in candidates if key not in aside and built_on[key] & aside}:
        aside |= more
    for key in sorted(aside):
        old, first = candidates[key]
        new = target.objects[key]
        assert isinstance(new, UserType)
        aside_name = ident(_unqualified(old) + ASIDE)
        plan.renamed.add(key)
        plan.drops.setdefault(key, []).extend(
            [*first, Statement(f"ALTER {sql_kind(old)} {old.qualified} RENAME TO {aside_name}")]
        )
        names = type_names(new)
        for table, was, col in users[key]:
            if col is None or col.type.removesuffix("[]") not in names:
                continue
            name = table.qualified
            steps = plan.creates.setdefault(table.key, [])
            # a default that changes too is reset by the table's own alteration
            default = col.default if col.default == was.default else None
            if default is not None:
                plan.drops.setdefault(table.key, []).append(
                    Statement(f"ALTER TABLE {name} ALTER COLUMN {col.name} DROP DEFAULT")
                )
            using = None
            if key in by_name:
                assert isinstance(old, CompositeType) and isinstance(new, CompositeType)
                using = _by_name(col.name, old, new)
            steps.append(replace(retype(table, col, True, using), after=frozenset({key})))
            if default is not None:
                steps.append(
                    Statement(f"ALTER TABLE {name} ALTER COLUMN {col.name} SET DEFAULT {default}")
                )
            plan.retyped.add(("column", f"{name}.{col.name}"))
        # after the creates (the columns are converted by then), and after what the plan
        # drops for good that still uses the old type (see drop_order.py)
        plan.drops[aside_node(key)] = [Statement(f"DROP {sql_kind(old)} {old.schema}.{aside_name}")]
    return plan
