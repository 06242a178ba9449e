"""Rebuilding an enum whose labels were removed or reordered, with the columns using it.

PostgreSQL cannot remove an enum label. The old type is renamed aside, the new one created,
every surviving column converted through text, and the old type dropped at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pgalign.catalog.model import Catalog, Column, EnumType, Key, Table
from pgalign.diff.plan import Statement
from pgalign.diff.tables import retype
from pgalign.sql import ident

ASIDE = "__pgalign_old"


@dataclass
class EnumRebuild:
    drops: dict[Key, list[Statement]] = field(default_factory=dict)
    creates: dict[Key, list[Statement]] = field(default_factory=dict)
    retyped: set[Key] = field(default_factory=set)
    # the enums handled here: their own drop is the rename aside
    renamed: set[Key] = field(default_factory=set)


def _users(enum: EnumType, source: Catalog, target: Catalog) -> list[tuple[Table, Column | None]]:
    """Surviving tables with a column of the enum, and that column as it will be (None:
    dropped; of another type: the table's own alteration converts it)."""
    found = []
    for table in source.tables:
        new_table = target.objects.get(table.key)
        if not isinstance(new_table, Table) or table.partition_of or new_table.partition_of:
            continue
        for col in table.columns:
            if not col.local or col.type.removesuffix("[]") != enum.qualified:
                continue
            found.append((new_table, new_table.column(col.name)))
    return found


def rebuild_enums(source: Catalog, target: Catalog, replaced: set[Key]) -> EnumRebuild:
    plan = EnumRebuild()
    for key in sorted(replaced):
        old, new = source.objects.get(key), target.objects.get(key)
        if not (isinstance(old, EnumType) and isinstance(new, EnumType)):
            continue
        users = _users(old, source, target)
        if not users:
            continue
        aside = f"{old.schema}.{ident(old.name + ASIDE)}"
        plan.renamed.add(key)
        plan.drops.setdefault(key, []).append(
            Statement(f"ALTER TYPE {old.qualified} RENAME TO {ident(old.name + ASIDE)}")
        )
        for table, col in users:
            if col is None or col.type.removesuffix("[]") != old.qualified:
                continue
            name = table.qualified
            steps = plan.creates.setdefault(table.key, [])
            if col.default is not None:
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
            if col.default is not None:
                steps.append(
                    Statement(
                        f"ALTER TABLE {name} ALTER COLUMN {col.name} SET DEFAULT {col.default}"
                    )
                )
            plan.retyped.add(("column", f"{name}.{col.name}"))
        plan.creates[("enum_aside", key[1])] = [
            Statement(
                f"DROP TYPE {aside}",
                after=frozenset(table.key for table, _ in users),
            )
        ]
    return plan
