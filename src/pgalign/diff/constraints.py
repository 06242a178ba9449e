"""Table constraints and indexes: rebuilt when they change, never altered in place."""

from __future__ import annotations

from pgalign.catalog.model import Constraint, Index, Key, Table
from pgalign.diff import hazards
from pgalign.diff.common import Alteration, Context, comment
from pgalign.diff.plan import Hazard, Statement

NOT_VALID = " NOT VALID"
REPLICA = {"d": "DEFAULT", "f": "FULL", "n": "NOTHING"}


def _owner_dropped(table: str, ctx: Context) -> bool:
    return bool({("table", table), ("view", table)} & ctx.dropped)


def _existing(table: str, ctx: Context) -> bool:
    key: Key = ("table", table)
    return key not in ctx.created and (
        key in ctx.source.objects or ("view", table) in ctx.source.objects
    )


def _comments(old: Constraint | None, new: Constraint) -> list[Statement]:
    """The constraint's comment, and its index's (which bears its name)."""
    was, index_was = (old.comment, old.index_comment) if old else (None, None)
    return [
        *comment("CONSTRAINT", f"{new.name} ON {new.table}", was, new.comment),
        *comment("INDEX", f"{new.schema}.{new.name}", index_was, new.index_comment),
    ]


def drop_constraint(old: Constraint) -> Statement:
    return Statement(f"ALTER TABLE {old.table} DROP CONSTRAINT {old.name}")


def replica_identity_again(table_name: str, index_name: str, ctx: Context) -> list[Statement]:
    """REPLICA IDENTITY USING INDEX once more, for an index (or a constraint's) that is
    dropped and created again while the table keeps it as its replica identity."""
    key: Key = ("table", table_name)
    if key in ctx.created:
        return []  # (asked of every new index: the cheap test first)
    old, new = ctx.source.objects.get(key), ctx.target.objects.get(key)
    if not isinstance(old, Table) or not isinstance(new, Table):
        return []
    same = (old.replica_identity, old.replica_index) == (new.replica_identity, new.replica_index)
    if not same or new.replica_identity != "i" or index_name != new.replica_index:
        return []  # (the table's own alteration says it, when it changes)
    return [replica_identity(new)]


def replica_identity(table: Table) -> Statement:
    head = f"ALTER TABLE {table.qualified} REPLICA IDENTITY"
    if table.replica_identity != "i" or table.replica_index is None:
        return Statement(f"{head} {REPLICA.get(table.replica_identity, 'DEFAULT')}")
    index = table.replica_index
    # The index may be a plain one or a constraint's: wait for whichever it is.
    after = {("index", f"{table.schema}.{index}"), ("constraint", f"{table.qualified}.{index}")}
    return Statement(
        f"{head} USING INDEX {index}",
        after=frozenset(after),
        node=("replica_identity", table.qualified),
    )


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
            *_comments(None, new),
            *(replica_identity_again(new.table, new.name, ctx) if new.type in ("p", "u") else ()),
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
        out += _comments(old, new)
        return Alteration(create_phase=tuple(out))


def _with_partitions(index: Index) -> str:
    """The index's definition, on the partitions too: pg_get_indexdef writes a partitioned
    table's ON ONLY, which leaves them without a copy and the index invalid."""
    name = index.qualified[len(index.schema) + 1 :]
    for head in (f"CREATE INDEX {name} ON ONLY ", f"CREATE UNIQUE INDEX {name} ON ONLY "):
        if index.definition.startswith(head):
            return head.removesuffix("ONLY ") + index.definition[len(head) :]
    return index.definition


class IndexGenerator:
    def create(self, new: Index, ctx: Context) -> list[Statement]:
        found: tuple[Hazard, ...] = ()
        if _existing(new.table, ctx):
            found = (hazards.blocks_writes(new.table, "CREATE INDEX without CONCURRENTLY"),)
        return [
            Statement(_with_partitions(new), found),
            *comment("INDEX", new.qualified, None, new.comment),
            *replica_identity_again(new.table, new.qualified[len(new.schema) + 1 :], ctx),
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
