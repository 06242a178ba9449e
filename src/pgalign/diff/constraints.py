"""Table constraints and indexes: rebuilt when they change, never altered in place."""

from __future__ import annotations

from pgalign.catalog.model import Constraint, Index, Key
from pgalign.diff import hazards
from pgalign.diff.common import Alteration, Context, comment
from pgalign.diff.plan import Hazard, Statement

NOT_VALID = " NOT VALID"


def _owner_dropped(table: str, ctx: Context) -> bool:
    return bool({("table", table), ("view", table)} & ctx.dropped)


def _existing(table: str, ctx: Context) -> bool:
    key: Key = ("table", table)
    return key not in ctx.created and (
        key in ctx.source.objects or ("view", table) in ctx.source.objects
    )


def drop_constraint(old: Constraint) -> Statement:
    return Statement(f"ALTER TABLE {old.table} DROP CONSTRAINT {old.name}")


class ConstraintGenerator:
    def create(self, new: Constraint, ctx: Context) -> list[Statement]:
        if new.inherited:  # comes with CREATE TABLE, its parent's ADD, or before INHERIT
            return comment("CONSTRAINT", f"{new.name} ON {new.table}", None, new.comment)
        found: list[Hazard] = []
        if _existing(new.table, ctx):
            found.append(hazards.exclusive_lock(new.table))
            if new.type in ("p", "u", "x"):
                found.append(hazards.blocks_writes(new.table, "building the constraint's index"))
            elif new.type in ("f", "c") and not new.definition.endswith(NOT_VALID):
                found.append(
                    hazards.blocks_writes(
                        new.table,
                        "validating every row (add it NOT VALID, "
                        "then VALIDATE CONSTRAINT, to avoid that)",
                    )
                )
        return [
            Statement(
                f"ALTER TABLE {new.table} ADD CONSTRAINT {new.name} {new.definition}",
                tuple(found),
            ),
            *comment("CONSTRAINT", f"{new.name} ON {new.table}", None, new.comment),
        ]

    def drop(self, old: Constraint, ctx: Context) -> list[Statement]:
        # An inherited CHECK goes with its parent's DROP, or after NO INHERIT (tables.py).
        if old.inherited or _owner_dropped(old.table, ctx):
            return []
        return [drop_constraint(old)]

    def alter(self, old: Constraint, new: Constraint, ctx: Context) -> Alteration | None:
        out: list[Statement] = []
        if old.definition != new.definition:
            if old.definition != new.definition + NOT_VALID:
                return None
            out.append(Statement(f"ALTER TABLE {new.table} VALIDATE CONSTRAINT {new.name}"))
        out += comment("CONSTRAINT", f"{new.name} ON {new.table}", old.comment, new.comment)
        return Alteration(create_phase=tuple(out))


class IndexGenerator:
    def create(self, new: Index, ctx: Context) -> list[Statement]:
        found: tuple[Hazard, ...] = ()
        if _existing(new.table, ctx):
            found = (hazards.blocks_writes(new.table, "CREATE INDEX without CONCURRENTLY"),)
        return [
            Statement(new.definition, found),
            *comment("INDEX", new.qualified, None, new.comment),
        ]

    def drop(self, old: Index, ctx: Context) -> list[Statement]:
        if _owner_dropped(old.table, ctx):
            return []
        return [Statement(f"DROP INDEX {old.qualified}", (hazards.exclusive_lock(old.table),))]

    def alter(self, old: Index, new: Index, ctx: Context) -> Alteration | None:
        if old.definition != new.definition:
            return None
        return Alteration(
            create_phase=tuple(comment("INDEX", new.qualified, old.comment, new.comment))
        )
