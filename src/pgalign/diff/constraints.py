"""Table constraints and indexes: rebuilt when they change, never altered in place."""

from __future__ import annotations

from pgalign.catalog.model import Constraint, Index, Key, Table, View
from pgalign.diff import hazards
from pgalign.diff.common import Alteration, Context, comment, option_changes
from pgalign.diff.plan import Hazard, Statement
from pgalign.sql import key_with_index_options

NOT_VALID = " NOT VALID"
REPLICA = {"d": "DEFAULT", "f": "FULL", "n": "NOTHING"}


def _owner_dropped(table: str, ctx: Context) -> bool:
    return bool({("table", table), ("view", table)} & ctx.dropped)


def _existing(table: str, ctx: Context) -> bool:
    key: Key = ("table", table)
    return key not in ctx.created and (
        key in ctx.source.objects or ("view", table) in ctx.source.objects
    )


def _foreign(table: str, ctx: Context) -> bool:
    found = ctx.target.objects.get(("table", table))
    return isinstance(found, Table) and found.foreign is not None


def _comments(old: Constraint | None, new: Constraint) -> list[Statement]:
    """The constraint's comment, and its index's (which bears its name)."""
    was, index_was = (old.comment, old.index_comment) if old else (None, None)
    return [
        *comment("CONSTRAINT", f"{new.name} ON {new.table}", was, new.comment),
        *comment("INDEX", f"{new.schema}.{new.name}", index_was, new.index_comment),
    ]


def drop_constraint(old: Constraint) -> Statement:
    return Statement(f"ALTER TABLE {old.table} DROP CONSTRAINT {old.name}")


def kept_by_table(table_name: str, index_name: str, ctx: Context) -> list[Statement]:
    """REPLICA IDENTITY USING INDEX and CLUSTER ON once more, for an index (or a
    constraint's) that is dropped and created again while its table (or materialized
    view) keeps it so: the new index is neither."""
    key: Key = ("table", table_name)
    view: Key = ("view", table_name)
    if key in ctx.created or view in ctx.created:
        return []  # (asked of every new index: the cheap test first)
    if key not in ctx.target.objects:
        key = view
    old, new = ctx.source.objects.get(key), ctx.target.objects.get(key)
    # (the table's own alteration says them, when they change)
    out = []
    if isinstance(old, Table) and isinstance(new, Table):
        same = (old.replica_identity, old.replica_index) == (
            new.replica_identity,
            new.replica_index,
        )
        if same and new.replica_identity == "i" and index_name == new.replica_index:
            out.append(replica_identity(new))
    if (
        isinstance(old, Table | View)
        and isinstance(new, Table | View)
        and old.cluster_index == new.cluster_index == index_name
    ):
        out.append(cluster_on(new))
    return out


def replica_identity(table: Table) -> Statement:
    head = f"ALTER TABLE {table.qualified} REPLICA IDENTITY"
    if table.replica_identity != "i" or table.replica_index is None:
        return Statement(f"{head} {REPLICA.get(table.replica_identity, 'DEFAULT')}")
    return Statement(
        f"{head} USING INDEX {table.replica_index}",
        after=index_of(table, table.replica_index),
        node=("replica_identity", table.qualified),
    )


def index_of(table: Table | View, name: str) -> frozenset[Key]:
    """The index `name` of a table: a plain one or a constraint's, whichever it is."""
    return frozenset(
        {("index", f"{table.schema}.{name}"), ("constraint", f"{table.qualified}.{name}")}
    )


def cluster_on(table: Table | View) -> Statement:
    kind = "MATERIALIZED VIEW" if isinstance(table, View) else "TABLE"
    head = f"ALTER {kind} {table.qualified}"
    if table.cluster_index is None:
        return Statement(f"{head} SET WITHOUT CLUSTER")
    return Statement(
        f"{head} CLUSTER ON {table.cluster_index}",
        after=index_of(table, table.cluster_index),
        node=("cluster_on", table.qualified),
    )


def with_index_options(new: Constraint) -> str:
    """A key's definition with its index's storage options, which pg_get_constraintdef
    leaves out."""
    if not new.index_options:
        return new.definition
    return key_with_index_options(new.definition, new.index_options)


class ConstraintGenerator:
    def create(self, new: Constraint, ctx: Context) -> list[Statement]:
        if new.inherited:  # comes with CREATE TABLE, its parent's ADD, or before INHERIT
            return comment("CONSTRAINT", f"{new.name} ON {new.table}", None, new.comment)
        found: list[Hazard] = []
        if _existing(new.table, ctx):
            found.append(hazards.exclusive_lock(new.table))
            if new.type in ("p", "u", "x"):
                found.append(hazards.blocks_writes(new.table, "building the constraint's index"))
            elif (
                new.type in ("f", "c")
                and not new.definition.endswith(NOT_VALID)
                and not _foreign(new.table, ctx)
            ):  # (a foreign table's CHECK is not checked against the remote rows)
                found.append(
                    hazards.blocks_writes(
                        new.table,
                        "validating every row (add it NOT VALID, "
                        "then VALIDATE CONSTRAINT, to avoid that)",
                    )
                )
        return [
            Statement(
                f"ALTER TABLE {new.table} ADD CONSTRAINT {new.name} {with_index_options(new)}",
                tuple(found),
            ),
            *_comments(None, new),
            *(kept_by_table(new.table, new.name, ctx) if new.type in ("p", "u", "x") else ()),
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
        if old.index_options != new.index_options:
            table = ctx.target.objects.get(("table", new.table))
            if isinstance(table, Table) and table.partitioned:
                return None  # a partitioned index takes no ALTER INDEX ... SET
            index = f"ALTER INDEX {new.schema}.{new.name}"
            out += option_changes(index, old.index_options, new.index_options)
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
            *kept_by_table(new.table, new.qualified[len(new.schema) + 1 :], ctx),
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
