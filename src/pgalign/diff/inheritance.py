"""A table joining a parent (INHERIT, ATTACH PARTITION) or leaving one (NO INHERIT, DETACH
PARTITION). PostgreSQL joins a child only when it already has the parent's columns, NOT
NULLs and CHECK constraints; a child that leaves keeps the CHECKs it inherited as its own."""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Set as AbstractSet

from pgalign.catalog.model import Catalog, Constraint, Key, Table
from pgalign.diff import hazards
from pgalign.diff.plan import Statement

NO_INHERIT = " NO INHERIT"


def ready_to_join(
    old: Table, new: Table, parents: list[str], catalog: Catalog, source: Catalog
) -> tuple[list[Statement], set[str]]:
    """What `old` needs before it joins `parents` (as they are in `catalog`, the target):
    the statements, and the columns they make NOT NULL."""
    name = new.qualified
    lock = hazards.exclusive_lock(name)
    out: list[Statement] = []
    not_null: set[str] = set()
    for col in new.columns:
        if col.local:
            continue
        prior = old.column(col.name)
        needed = col.not_null and any(_not_null_in(catalog, p, col.name) for p in parents)
        if prior is None:
            out.append(
                Statement(
                    f"ALTER TABLE {name} ADD COLUMN {col.name} {col.type}"
                    + (" NOT NULL" if needed else ""),
                    (lock,),
                )
            )
        elif needed and not prior.not_null:
            why = hazards.blocks_writes(name, "checking every row for NOT NULL")
            out.append(
                Statement(f"ALTER TABLE {name} ALTER COLUMN {col.name} SET NOT NULL", (why, lock))
            )
        if needed:
            not_null.add(col.name)
    validating = hazards.blocks_writes(name, "validating every row")
    for parent in parents:
        for check in checks_of(catalog, parent).values():
            prior_check = source.objects.get(("constraint", f"{name}.{check.name}"))
            if isinstance(prior_check, Constraint) and prior_check.definition == check.definition:
                continue  # it stays: the join makes it inherited too
            out.append(
                Statement(
                    f"ALTER TABLE {name} ADD CONSTRAINT {check.name} {check.definition}",
                    (lock, validating),
                )
            )
    return out, not_null


def left_behind(
    old: Table, new: Table, parents: list[str], source: Catalog, target: Catalog
) -> list[Statement]:
    """The CHECKs `old` inherited from `parents` and keeps as its own once it leaves them,
    dropped when the target does not want them so."""
    out: list[Statement] = []
    staying = [p for p in old.parents if p not in parents]
    kept = {name for p in staying for name in checks_of(source, p)}
    for parent in parents:
        for check_name in checks_of(source, parent):
            if check_name in kept:
                continue
            prior = source.objects.get(("constraint", f"{old.qualified}.{check_name}"))
            wanted = target.objects.get(("constraint", f"{new.qualified}.{check_name}"))
            if not isinstance(prior, Constraint) or not prior.inherited:
                continue
            if not isinstance(wanted, Constraint) or wanted.definition != prior.definition:
                out.append(Statement(f"ALTER TABLE {old.qualified} DROP CONSTRAINT {check_name}"))
    return out


def checks_of(catalog: Catalog, table: str) -> dict[str, Constraint]:
    """The CHECK constraints of `table` that its children inherit, by name."""
    return {
        obj.name: obj
        for obj in catalog.objects.values()
        if type(obj) is Constraint
        and obj.table == table
        and obj.type == "c"
        and not obj.definition.endswith(NO_INHERIT)
    }


def _not_null_in(catalog: Catalog, table: str, column: str) -> bool:
    parent = catalog.objects.get(("table", table))
    col = parent.column(column) if isinstance(parent, Table) else None
    return col is not None and col.not_null and "n" not in col.not_null_flags


def kept_by_children(
    source: Catalog, target: Catalog, dropped: AbstractSet[Key]
) -> Iterator[tuple[Key, Statement]]:
    """A CHECK that a child both inherits and declares stays on it, its own, when the
    parent's is dropped: each such child's DROP, after the parent's, unless the target wants
    it so."""
    parents = set()
    for key in dropped:
        if key[0] != "constraint":
            continue
        check = source.objects.get(key)
        if (
            type(check) is Constraint
            and check.type == "c"
            and ("table", check.table) not in dropped
        ):
            parents.add(key)
    if not parents:
        return
    for obj in source.objects.values():
        if type(obj) is not Constraint or not (obj.inherited and obj.local):
            continue
        table = source.objects.get(("table", obj.table))
        stays = target.objects.get(("table", obj.table))
        if not isinstance(table, Table) or not isinstance(stays, Table) or table.key in dropped:
            continue
        wanted = target.objects.get(obj.key)
        if isinstance(wanted, Constraint) and wanted.definition == obj.definition:
            continue  # kept as it is, or merged again by the parent's new ADD
        for parent in set(table.parents) & set(stays.parents):  # (left_behind: the others)
            parent_key: Key = ("constraint", f"{parent}.{obj.name}")
            if parent_key in parents:
                yield parent_key, Statement(f"ALTER TABLE {obj.table} DROP CONSTRAINT {obj.name}")
                break


def copies_below(source: Catalog, columns: AbstractSet[Key], dropping: bool) -> dict[Key, Key]:
    """The copies of `columns` in the partitions and heirs below their tables, at any depth,
    that the table's DROP COLUMN (`dropping`: not those a child also declares, which it
    keeps) or ALTER COLUMN TYPE reaches; each with that table's key."""
    children = source.children if columns else {}
    found: dict[Key, Key] = {}
    for column_key in columns if children else ():
        owner = source.table_of(column_key)
        if owner is None:
            continue
        name = column_key[1][len(owner.qualified) + 1 :]
        todo = list(children.get(owner.qualified, ()))
        while todo:
            child = todo.pop()
            col = child.column(name)
            key: Key = ("column", f"{child.qualified}.{name}")
            if col is None or (dropping and col.local) or key in found:
                continue
            found[key] = owner.key
            todo += children.get(child.qualified, ())
    return found
