"""Replacing a collation that columns use: PostgreSQL drops no collation in use and cannot
redefine one. It is renamed aside, the new one created, the columns pointed at it, and the
old one dropped at the end (types built on it are rebuilt like any type, see rebuilds.py)."""

from __future__ import annotations

from pgalign.catalog.model import Catalog, Collation, Key, Table
from pgalign.diff import hazards
from pgalign.diff.column_settings import retyped, settings_changes
from pgalign.diff.drop_order import aside_node
from pgalign.diff.plan import Statement
from pgalign.diff.rebuilds import ASIDE, TypeRebuild
from pgalign.sql import ident, last_identifier


def collations_aside(
    source: Catalog, target: Catalog, replaced: set[Key], plan: TypeRebuild
) -> None:
    """Adds to `plan` what sets each replaced collation that stays in use aside."""
    for key in sorted(k for k in replaced if k[0] == "collation"):
        old, new = source.objects.get(key), target.objects.get(key)
        if not isinstance(old, Collation) or not isinstance(new, Collation):
            continue
        users = [
            table.key
            for table in source.tables
            if table.key in target.objects
            and any(col.collation == old.qualified for col in table.columns)
        ]
        types = [other for other in plan.renamed if key in source.depends_on(other)]
        if not users and not types:
            continue
        aside = ident(last_identifier(old.qualified) + ASIDE)
        plan.renamed.add(key)
        plan.drops[key] = [Statement(f"ALTER COLLATION {old.qualified} RENAME TO {aside}")]
        for table_key in users:
            if table_key not in replaced:
                _point_at_new(source, target, table_key, old.qualified, plan)
        # after the creates and the types set aside on it (see drop_order.py)
        plan.drops[aside_node(key)] = [Statement(f"DROP COLLATION {old.schema}.{aside}")]


def _point_at_new(
    source: Catalog, target: Catalog, table_key: Key, collation: str, plan: TypeRebuild
) -> None:
    """ALTER COLUMN ... TYPE for the table's columns that keep the type and the collation's
    name: their own alteration does the others. Inherited columns follow their parent's."""
    old, new = source.objects[table_key], target.objects.get(table_key)
    assert isinstance(old, Table)
    if not isinstance(new, Table):
        return
    for was in old.columns:
        col = new.column(was.name)
        if (
            was.collation != collation
            or col is None
            or (col.type, col.collation) != (was.type, was.collation)
        ):
            continue
        name = new.qualified
        steps = plan.creates.setdefault(table_key, [])
        if col.local and target.parent_column(new, col.name) is None:
            steps.append(
                Statement(
                    f"ALTER TABLE {name} ALTER COLUMN {col.name} TYPE {col.type}"
                    f" COLLATE {collation}",
                    (hazards.exclusive_lock(name),),
                    after=frozenset({("collation", collation)}),
                )
            )
            plan.retyped.add(("column", f"{name}.{col.name}"))
        # this (or, inherited, its parent's, which recurses) resets storage and compression
        steps += settings_changes(name, col.name, retyped(was.settings), was.settings)
