"""Tables: create, drop, and alter in place column by column."""

from __future__ import annotations

from collections.abc import Collection
from collections.abc import Set as AbstractSet
from dataclasses import replace
from operator import attrgetter

from pgalign.catalog.model import (
    NO_PRIVILEGES,
    Catalog,
    Column,
    Constraint,
    EnumType,
    Key,
    Options,
    Privileges,
    Table,
)
from pgalign.diff import hazards
from pgalign.diff.clones import made_above
from pgalign.diff.column_settings import as_altered, as_created, settings_changes
from pgalign.diff.common import (
    Alteration,
    Context,
    comment,
    grants,
    left_by_revokes,
    option_changes,
    owner,
    reattached,
)
from pgalign.diff.constraints import cluster_on, replica_identity
from pgalign.diff.foreign import fdw_options_changes, fdw_options_clause
from pgalign.diff.identity import after_retype, fits, options_clause, set_options
from pgalign.diff.inheritance import left_behind, ready_to_join
from pgalign.diff.plan import Statement
from pgalign.diff.rowtypes import rows_set_aside
from pgalign.diff.typed import linked, relinked
from pgalign.sql import column_references, last_identifier, partition_key_columns

IDENTITY = {"a": "ALWAYS", "d": "BY DEFAULT"}
BY_POSITION = attrgetter("position")


def column_definition(col: Column) -> str:
    sql = f"{col.name} {col.type}"
    if col.collation:
        sql += f" COLLATE {col.collation}"
    if col.generated:
        kind = "STORED" if col.generated == "s" else "VIRTUAL"
        sql += f" GENERATED ALWAYS AS ({col.default}) {kind}"
    elif col.identity:
        sql += f" GENERATED {IDENTITY[col.identity]} AS IDENTITY{options_clause(col)}"
    elif col.default is not None:
        sql += f" DEFAULT {col.default}"
    if not col.not_null or "v" in col.not_null_flags:
        return sql  # a NOT VALID one is added after (see add_not_null)
    return f"{sql} NOT NULL NO INHERIT" if "n" in col.not_null_flags else f"{sql} NOT NULL"


def add_not_null(table: str, col: Column) -> Statement:
    """PostgreSQL 18's ADD NOT NULL, the only way to say NOT VALID (it then checks no row)."""
    sql = f"ALTER TABLE {table} ADD NOT NULL {col.name}"
    sql += " NO INHERIT" if "n" in col.not_null_flags else ""
    if "v" in col.not_null_flags:
        return Statement(f"{sql} NOT VALID", (hazards.exclusive_lock(table),))
    why = hazards.blocks_writes(table, "checking every row for NOT NULL")
    return Statement(sql, (why, hazards.exclusive_lock(table)))


def _own_columns(table: Table) -> list[Column]:
    """Columns this table declares: a partition's and an heir's come from their parent."""
    if table.partition_of is not None:
        return []
    return sorted((c for c in table.columns if c.local), key=BY_POSITION)


def _column_key(table: Table, col: Column) -> Key:
    return ("column", f"{table.qualified}.{col.name}")


def _add_column(table: Table, col: Column, ctx: Context) -> Statement:
    return Statement(
        f"ALTER TABLE {table.qualified} ADD COLUMN {column_definition(col)}",
        after=ctx.target.depends_on(_column_key(table, col)),  # its type, default's functions
    )


def _table_extras(
    old: Table | None, new: Table, ctx: Context, added_again: AbstractSet[str] = frozenset()
) -> list[Statement]:
    """RLS, replica identity, comments and grants: the same for a new or an altered table
    (`added_again`: columns dropped and added, with none of their comments and grants)."""
    name = new.qualified
    out: list[Statement] = []
    was_rls = old.rls_enabled if old else False
    was_forced = old.rls_forced if old else False
    if was_rls != new.rls_enabled:
        verb = "ENABLE" if new.rls_enabled else "DISABLE"
        why = hazards.authz(f"row level security on {name} decides which rows roles see")
        out.append(Statement(f"ALTER TABLE {name} {verb} ROW LEVEL SECURITY", (why,)))
    if was_forced != new.rls_forced:
        verb = "FORCE" if new.rls_forced else "NO FORCE"
        why = hazards.authz(f"forced row level security on {name} applies to its owner")
        out.append(Statement(f"ALTER TABLE {name} {verb} ROW LEVEL SECURITY", (why,)))
    identity = (old.replica_identity, old.replica_index) if old else ("d", None)
    if new.foreign is None and identity != (new.replica_identity, new.replica_index):
        out.append(replica_identity(new))
    if (old.cluster_index if old else None) != new.cluster_index:
        clustered = cluster_on(new)  # (on a copy of its parent's index: once that is made)
        out.append(replace(clustered, after=clustered.after | made_above(new, ctx)))
    out += owner("TABLE", name, old.owner if old else None, new.owner, ctx) if old else []
    out += comment(new.sql_kind, name, old.comment if old else None, new.comment)
    before_acl = old.privileges if old else None
    out += grants("TABLE", name, before_acl, new.privileges, ctx, new.owner, schema=new.schema)
    before = {c.name: c for c in old.columns if c.name not in added_again} if old else {}
    for col in new.columns:
        prior = before.get(col.name)
        if prior is None:
            if (
                col.comment is None
                and not col.privileges
                and not col.settings
                and not (old is None and new.parents)
                and not col.not_null_flags
                and not col.fdw_options
            ):
                continue  # most new columns: nothing to say (10^4 of them in a big schema)
            if "v" in col.not_null_flags and col.not_null:
                out.append(add_not_null(name, col))
            was: tuple[str | None, Privileges, Options] = (None, NO_PRIVILEGES, ())
            settings = as_created(new, col, ctx.target) if old is None else None
        else:
            was = (
                prior.comment,
                left_by_revokes(prior.privileges, before_acl, new.privileges),
                prior.fdw_options,
            )
            settings = as_altered(prior, col)
            if was == (col.comment, col.privileges, col.fdw_options) and settings == col.settings:
                continue
        target = f"{name}.{col.name}"
        out += settings_changes(name, col.name, settings, col.settings)
        if changed := fdw_options_changes(was[2], col.fdw_options):
            # (a new table's too: its partition or parent may give it the column)
            out.append(Statement(f"ALTER FOREIGN TABLE {name} ALTER COLUMN {col.name}{changed}"))
        out += comment("COLUMN", target, was[0], col.comment)
        out += grants("TABLE", name, was[1], col.privileges, ctx, new.owner, col.name)
    return out


def _defaults_before_retype(old: Table, new: Table) -> list[str]:
    """The inherited columns whose own default goes before their parents' ALTER COLUMN ...
    TYPE recurses into them: PostgreSQL casts that default only where an implicit cast
    exists (not text to numeric), and refuses the ALTER otherwise."""
    if old.parents != new.parents:
        return []
    found = []
    for col in new.columns:
        prior = old.column(col.name)
        if col.local or prior is None or prior.default is None or prior.generated:
            continue
        if (prior.type, prior.collation) != (col.type, col.collation):
            found.append(col.name)
    return found


def _inherited_settings(
    old: Table | None,
    new: Table,
    ctx: Context,
    made_not_null: AbstractSet[str] = frozenset(),
    reset: Collection[str] = (),
) -> list[Statement]:
    """A default or NOT NULL that a partition or heir sets on a column it inherits. The
    parents' are copied into it at creation and recursed into it by their ALTERs; those in
    `made_not_null` were set before it joined a parent, the defaults of `reset` dropped
    before its parents' ALTERs."""
    out: list[Statement] = []
    for col in new.columns:
        if col.local or col.generated or col.identity:
            continue
        parents_now = _settings_of(ctx.target, new.parents, col.name)
        prior = old.column(col.name) if old is not None else None
        if old is None or prior is None:
            was = _inherited(parents_now)  # copied at creation
        else:
            default = None if col.name in reset else prior.default
            was = (default, prior.not_null or col.name in made_not_null)
            if old.parents == new.parents:
                # the parents' ALTERs recurse into it: each setting that changes there
                then = _inherited(_settings_of(ctx.source, old.parents, col.name))
                now = _inherited(parents_now)
                was = (
                    now[0] if then[0] != now[0] else was[0],
                    now[1] if then[1] != now[1] else was[1],
                )
        head = f"ALTER TABLE {new.qualified} ALTER COLUMN {col.name}"
        if col.default != was[0]:
            verb = "DROP DEFAULT" if col.default is None else f"SET DEFAULT {col.default}"
            out.append(Statement(f"{head} {verb}"))
        if col.not_null != was[1]:
            out.append(Statement(f"{head} {'SET' if col.not_null else 'DROP'} NOT NULL"))
    return out


def _given_by_parents(old: Table, new: Table, name: str, ctx: Context) -> Column | None:
    """The column a parent it keeps adds (its ADD COLUMN recurses), as the child has it
    then: adding it to the child too would fail, and PostgreSQL cannot mark it declared."""
    for parent in (p for p in old.inherits if p in new.inherits):
        was, now = (c.objects.get(("table", parent)) for c in (ctx.source, ctx.target))
        col = now.column(name) if isinstance(now, Table) else None
        if col is not None and not (isinstance(was, Table) and was.column(name) is not None):
            # (identity is not inherited)
            return replace(
                col,
                local=False,
                identity="",
                identity_options=None,
                comment=None,
                privileges=NO_PRIVILEGES,
            )
    return None


def _as_parents_leave_it(old: Table, new: Table, prior: Column, ctx: Context) -> Column:
    """A column a child declares and also inherits, as its parents' ALTERs leave it: they
    recurse into it (ALTER COLUMN ... TYPE too)."""
    if old.parents != new.parents or prior.generated or prior.identity:
        return prior
    types = _types_of(ctx.target, new.parents, prior.name)
    if types and types != _types_of(ctx.source, old.parents, prior.name):
        prior = replace(prior, type=types[0][0], collation=types[0][1])
    now = _settings_of(ctx.target, new.parents, prior.name)
    if not now or _settings_of(ctx.source, old.parents, prior.name) == now:
        return prior
    default, not_null = _inherited(now)
    return replace(prior, default=default, not_null=not_null)


def _settings_of(
    catalog: Catalog, parents: tuple[str, ...], name: str
) -> list[tuple[str | None, bool]]:
    """The default and NOT NULL of column `name` in each parent that has it."""
    found = []
    for parent in parents:
        table = catalog.objects.get(("table", parent))
        col = table.column(name) if isinstance(table, Table) else None
        if col is not None:
            found.append((col.default, col.not_null and "n" not in col.not_null_flags))
    return found


def _types_of(
    catalog: Catalog, parents: tuple[str, ...], name: str
) -> list[tuple[str, str | None]]:
    """The type and collation of column `name` in each parent that has it."""
    tables = [catalog.objects.get(("table", parent)) for parent in parents]
    columns = [t.column(name) for t in tables if isinstance(t, Table)]
    return [(col.type, col.collation) for col in columns if col is not None]


def _inherited(settings: list[tuple[str | None, bool]]) -> tuple[str | None, bool]:
    default = next((default for default, _ in settings if default is not None), None)
    return default, any(not_null for _, not_null in settings)


class TableGenerator:
    def create(self, new: Table, ctx: Context) -> list[Statement]:
        unlogged = "UNLOGGED " if new.unlogged else ""
        head = f"CREATE {unlogged}{new.sql_kind} {new.qualified}"
        if new.partition_of is not None:
            sql = f"{head} PARTITION OF {new.partition_of} {new.partition_bound}"
        else:
            columns = ",\n    ".join(column_definition(c) for c in _own_columns(new))
            sql = f"{head} (\n    {columns}\n)" if columns else f"{head} ()"
            if new.inherits:
                sql += f" INHERITS ({', '.join(new.inherits)})"
        if new.partition_key:
            sql += f" PARTITION BY {new.partition_key}"
        if new.options:
            sql += f" WITH ({', '.join(new.options)})"
        if new.foreign is not None:
            sql += f" SERVER {new.foreign.server}{fdw_options_clause(new.foreign.options)}"
        # a replaced table's rows that other tables store: back from text (see drop)
        _, rows_back = rows_set_aside(new, ctx) if new.key in ctx.dropped else ((), ())
        return [
            Statement(sql),
            *linked(new),
            *_inherited_settings(None, new, ctx),
            *_table_extras(None, new, ctx),
            *rows_back,
        ]

    def drop(self, old: Table, ctx: Context) -> list[Statement]:
        if old.partition_of is not None and ("table", old.partition_of) in ctx.dropped:
            return []  # dropped with its parent
        rows_out, _ = rows_set_aside(old, ctx) if old.key in ctx.created else ((), ())
        # (a foreign table's rows live elsewhere: only its definition goes)
        lost = (hazards.deletes_data(old.qualified),) if old.foreign is None else ()
        drop = Statement(f"DROP {old.sql_kind} {old.qualified}", lost)
        return [*rows_out, drop]

    def alter(self, old: Table, new: Table, ctx: Context) -> Alteration | None:
        if (old.partitioned, old.partition_key) != (new.partitioned, new.partition_key):
            return None
        if old.partition_key and _key_retyped(old, new):
            return None  # PostgreSQL cannot retype a partition key column
        if _server_of(old) != _server_of(new):
            return None  # no statement moves a foreign table, or makes a table foreign
        name = new.qualified
        lock = hazards.exclusive_lock(name)
        early: list[Statement] = []
        late: list[Statement] = []
        moved = reattached(old, new)
        leaving = [p for p in old.inherits if p not in new.inherits]
        joining = [p for p in new.inherits if p not in old.inherits]
        if old.partition_of is not None and moved:
            early.append(
                Statement(f"ALTER TABLE {old.partition_of} DETACH PARTITION {name}", (lock,))
            )
            leaving.append(old.partition_of)
            early += _drop_cloned(old)
        for parent in old.inherits:
            if parent not in new.inherits:
                early.append(Statement(f"ALTER TABLE {name} NO INHERIT {parent}", (lock,)))
        early += left_behind(old, new, leaving, ctx.source, ctx.target)
        untied, tied = relinked(old, new, ctx)
        early += untied
        columns_from = len(early)
        kept = tuple(p for p in old.parents if p in new.parents)
        dropped: set[Key] = set()
        retyped: set[Key] = set()
        after = {c.name: c for c in _own_columns(new)}
        before = {c.name: c for c in _own_columns(old)}
        if old.partition_of is None:  # an inherited column it declares in the target: there,
            # unless the parents' DROP COLUMN takes it
            before |= {
                c.name: c
                for c in old.columns
                if not c.local and c.name in after and _settings_of(ctx.target, kept, c.name)
            }
        if old.partition_of is not None and new.partition_of is None:
            before = {c.name: c for c in old.columns}  # DETACH makes them its own
        elif any(parent not in new.inherits for parent in old.inherits):
            before = {c.name: c for c in old.columns}  # NO INHERIT makes them its own
        elif new.partition_of is not None:
            before = after = {}  # ATTACH needs the parent's columns already
        inherited = {c.name for c in new.columns if not c.local}
        generated_first: list[Statement] = []  # their DROPs go first: they may read the others
        for col_name, col in before.items():
            if col_name not in after and col_name not in inherited:
                drop = _drop_column(name, col_name)
                if old.parents and ctx.source.parent_column(old, col_name) is not None:
                    # declared and inherited: PostgreSQL drops it only once it is no longer
                    # inherited, after its parents' DROP COLUMN (or NO INHERIT)
                    late.append(drop)
                else:
                    (generated_first if col.generated else early).append(drop)
                dropped.add(_column_key(old, col))
        added_again: set[str] = set()
        readers = _generated_on_retyped(before, after)
        readded: list[Statement] = []
        for col_name, col in after.items():
            prior = before.get(col_name) or _given_by_parents(old, new, col_name, ctx)
            if prior is None:
                late.append(_add_column(new, col, ctx))
                continue
            if old.parents:
                prior = _as_parents_leave_it(old, new, prior, ctx)
            again = _column_key(old, prior) in ctx.regenerated or col_name in readers
            if prior == col and not again:
                continue
            if not again and _expression_set_in_place(prior, col, ctx, before, after):
                readded.append(_set_expression(name, col))  # once what it reads is there
                continue
            steps = None if again else _column_changes(new, prior, col, _via_text(prior, col, ctx))
            if steps is None:  # generated columns cannot change in place
                (generated_first if prior.generated else early).append(_drop_column(name, col_name))
                # added once every column it may read has its new type
                readded.append(_add_column(new, col, ctx))
                dropped.add(_column_key(old, col))
                added_again.add(col_name)
                continue
            drop_steps, create_steps, is_retyped = steps
            if col_name in before:
                early += drop_steps
            else:  # given by a parent's ADD COLUMN: there only from the create phase on
                late += drop_steps
            late += create_steps
            if is_retyped:
                retyped.add(_column_key(old, col))
        late += readded
        early[columns_from:columns_from] = generated_first
        rows_early: list[Statement] = []
        rows_late: list[Statement] = []
        if retyped:
            rows_early, rows_late = rows_set_aside(old, ctx)
            early += rows_early
            late += rows_late
        if old.unlogged != new.unlogged:
            state = "UNLOGGED" if new.unlogged else "LOGGED"
            late.append(
                Statement(
                    f"ALTER TABLE {name} SET {state}",
                    (hazards.rewrites_table(name, f"SET {state}"), lock),
                    after=_linked_by_foreign_keys(new, ctx.target),
                )
            )
        late += option_changes(f"ALTER TABLE {name}", old.options, new.options)
        late += _foreign_option_changes(old, new)
        if new.partition_of is not None and moved:
            joining.append(new.partition_of)
        made_not_null: set[str] = set()
        if joining:
            ready, made_not_null = ready_to_join(old, new, joining, ctx.target, ctx.source)
            late += ready
        for parent in new.inherits:
            if parent not in old.inherits:
                late.append(
                    Statement(f"ALTER TABLE {name} INHERIT {parent}", (lock,), after=_table(parent))
                )
        if new.partition_of is not None and moved:
            late.append(
                Statement(
                    f"ALTER TABLE {new.partition_of} ATTACH PARTITION {name} {new.partition_bound}",
                    (lock,),
                    after=_table(new.partition_of),
                )
            )
        late += tied
        reset = _defaults_before_retype(old, new)
        early += [Statement(f"ALTER TABLE {name} ALTER COLUMN {c} DROP DEFAULT") for c in reset]
        late += _inherited_settings(old, new, ctx, made_not_null, reset)
        late += _table_extras(old, new, ctx, added_again)
        if new.foreign is not None:  # (not other tables' rows, set aside for its retype)
            aside = {*rows_early, *rows_late}
            early, late = _stored_elsewhere(early, aside), _stored_elsewhere(late, aside)
        return Alteration(tuple(early), tuple(late), frozenset(dropped), frozenset(retyped))


# Hazards about the rows a table stores.
ROWS_HERE = frozenset({hazards.DELETES_DATA, hazards.REWRITES_TABLE, hazards.BLOCKS_WRITES})


def _stored_elsewhere(statements: list[Statement], aside: set[Statement]) -> list[Statement]:
    """A foreign table's statements without the hazards of rows stored here: its rows are
    on the remote side, which no DROP COLUMN, retype or NOT NULL reads or loses."""
    return [
        stmt
        if stmt in aside
        else replace(stmt, hazards=tuple(h for h in stmt.hazards if h.kind not in ROWS_HERE))
        for stmt in statements
    ]


def _foreign_option_changes(old: Table, new: Table) -> list[Statement]:
    if old.foreign is None or new.foreign is None:
        return []
    changed = fdw_options_changes(old.foreign.options, new.foreign.options)
    return [Statement(f"ALTER FOREIGN TABLE {new.qualified}{changed}")] if changed else []


def _server_of(table: Table) -> str | None:
    return table.foreign.server if table.foreign is not None else None


def _drop_cloned(old: Table) -> list[Statement]:
    """What a detached partition keeps of its parent's indexes and constraints, dropped:
    those the target wants on it are created like any other."""
    out = []
    for clone in old.cloned:
        kind, name = clone.split(" ", 1)
        if kind == "CONSTRAINT":
            out.append(Statement(f"ALTER TABLE {old.qualified} DROP CONSTRAINT {name}"))
        else:
            out.append(Statement(f"DROP INDEX {old.schema}.{name}"))
    return out


def _key_retyped(old: Table, new: Table) -> bool:
    retyped = {
        last_identifier(col.name)
        for col in old.columns
        if (now := new.column(col.name)) is not None
        and (col.type, col.collation) != (now.type, now.collation)
    }
    return bool(retyped) and bool(retyped & partition_key_columns(old.partition_key or ""))


def _linked_by_foreign_keys(table: Table, catalog: Catalog) -> frozenset[Key]:
    """The tables to change before `table` turns logged (those it references: a logged
    table cannot reference an unlogged one) or unlogged (those referencing it)."""
    me = table.key
    found: set[Key] = set()
    for obj in catalog.objects.values():
        if type(obj) is not Constraint or obj.type != "f":
            continue
        refs = {ref for ref in catalog.depends_on(obj.key) if ref[0] == "table"}
        if table.unlogged and me in refs:
            found.add(("table", obj.table))
        elif not table.unlogged and obj.table == table.qualified:
            found |= refs
    return frozenset(found - {me})


def _drop_column(table: str, column: str) -> Statement:
    return Statement(
        f"ALTER TABLE {table} DROP COLUMN {column}",
        (hazards.deletes_data(f"column {table}.{column}"), hazards.exclusive_lock(table)),
    )


def _generated_on_retyped(before: dict[str, Column], after: dict[str, Column]) -> set[str]:
    """Generated columns that stay but read a column whose type changes: PostgreSQL cannot
    retype such a column, so they are dropped first and added again."""
    retyped = {
        last_identifier(name)
        for name, col in after.items()
        if name in before
        and (before[name].type, before[name].collation) != (col.type, col.collation)
    }
    if not retyped:
        return set()
    return {
        name
        for name, col in before.items()
        if col.generated and name in after and retyped & column_references(col.default or "")
    }


def _table(name: str) -> frozenset[Key]:
    return frozenset({("table", name)})


def _is_enum(type_name: str, catalog: Catalog) -> bool:
    return isinstance(catalog.objects.get(("type", type_name.removesuffix("[]"))), EnumType)


NUMBERS = {"smallint", "integer", "bigint", "numeric", "real", "double precision"}
STRINGS = {"text", "character varying", "character", '"char"', "name"}


def _base(type_name: str) -> str:
    return type_name.split("(", 1)[0]


def _via_text(old: Column, new: Column, ctx: Context) -> bool:
    """Whether to convert through text: every type reads and writes text, while direct casts
    exist only within a family (numbers, strings, one type with another modifier), and
    enums have none at all. Through text, only values that do not parse fail."""
    if _is_enum(old.type, ctx.source) or _is_enum(new.type, ctx.target):
        return True
    before, after = _base(old.type), _base(new.type)
    if before == after or after in STRINGS:
        return False
    return not ({before, after} <= NUMBERS or {before, after} <= STRINGS)


def retype(table: Table, col: Column, via_text: bool, using: str | None = None) -> Statement:
    """ALTER COLUMN ... TYPE, converting through text when `via_text`, or by `using`."""
    name = table.qualified
    sql = f"ALTER TABLE {name} ALTER COLUMN {col.name} TYPE {col.type}"
    sql += f" COLLATE {col.collation}" if col.collation else ""
    if table.foreign is not None:  # no rows stored here to convert (and no USING taken)
        return Statement(sql, (hazards.exclusive_lock(name),))
    cast = using or (f"{col.name}::text::{col.type}" if via_text else f"{col.name}::{col.type}")
    # a generated column is computed again from its expression, and refuses USING
    clause = "" if col.generated else f" USING {cast}"
    return Statement(
        f"{sql}{clause}",
        (
            hazards.rewrites_table(name, f"changing the type of {col.name}"),
            hazards.exclusive_lock(name),
        ),
    )


def _not_null_changes(table: str, old: Column, new: Column) -> list[Statement]:
    col = f"ALTER TABLE {table} ALTER COLUMN {new.name}"
    lock = hazards.exclusive_lock(table)
    validated = old.not_null and old.not_null_flags == "v" and not new.not_null_flags
    if new.not_null and not new.not_null_flags and (validated or not old.not_null):
        why = hazards.blocks_writes(table, "checking every row for NOT NULL")
        return [Statement(f"{col} SET NOT NULL", (why, lock))]  # (validates a NOT VALID one)
    out = [Statement(f"{col} DROP NOT NULL", (lock,))] if old.not_null else []
    return [*out, add_not_null(table, new)] if new.not_null else out


def _expression_set_in_place(
    old: Column, new: Column, ctx: Context, before: dict[str, Column], after: dict[str, Column]
) -> bool:
    """Whether only a stored generated column's expression changes, on PostgreSQL 17 or
    later, which sets it in place (SET EXPRESSION): the column keeps its indexes, the views
    that read it, its grants and comment, where dropping and adding it would not. Not when
    the old expression reads a column the plan drops: the column goes first then."""
    if not (
        ctx.source.server_version >= 170000
        and old.generated == new.generated == "s"
        and replace(old, default=new.default) == new
    ):
        return False
    staying = {last_identifier(name) for name in before if name in after}
    return column_references(old.default or "") <= staying


def _set_expression(table: str, col: Column) -> Statement:
    why = hazards.rewrites_table(table, f"computing {col.name} again")
    return Statement(
        f"ALTER TABLE {table} ALTER COLUMN {col.name} SET EXPRESSION AS ({col.default})",
        (why, hazards.exclusive_lock(table)),
    )


def _column_changes(
    relation: Table, old: Column, new: Column, via_text: bool
) -> tuple[list[Statement], list[Statement], bool] | None:
    """(drop-phase steps, create-phase steps, whether the type changed), or None when the
    column must be dropped and added again."""
    table = relation.qualified
    generation_changes = old.generated != new.generated or (
        old.generated and old.default != new.default
    )
    drops_expression = old.generated == "s" and not new.generated and old.type == new.type
    if generation_changes and not drops_expression:
        return None
    col = f"ALTER TABLE {table} ALTER COLUMN {new.name}"
    lock = hazards.exclusive_lock(table)
    early: list[Statement] = []
    late: list[Statement] = []
    retyped = (old.type, old.collation) != (new.type, new.collation)
    if old.generated and not new.generated:
        late.append(Statement(f"{col} DROP EXPRESSION", (lock,)))
    if old.identity and old.identity != new.identity and not new.identity:
        early.append(Statement(f"{col} DROP IDENTITY", (lock,)))
    default_changes = not new.generated and (old.default != new.default or retyped)
    if old.default is not None and not old.generated and default_changes:
        early.append(Statement(f"{col} DROP DEFAULT"))
    kept = old.identity_options
    if retyped and kept is not None and new.identity_options is not None:
        kept = after_retype(kept, old.type, new.type)
        if not fits(kept, new.type):  # narrowed first, to the target's bounds
            late.append(set_options(table, new, kept, new.identity_options, lock))
            kept = new.identity_options
    if retyped:
        late.append(retype(relation, new, via_text))
    if (old.not_null, old.not_null_flags) != (new.not_null, new.not_null_flags):
        late += _not_null_changes(table, old, new)
    if new.identity and not old.identity:
        generated = f"GENERATED {IDENTITY[new.identity]} AS IDENTITY{options_clause(new)}"
        late.append(Statement(f"{col} ADD {generated}", (lock,)))
    elif new.identity and old.identity != new.identity:
        late.append(Statement(f"{col} SET GENERATED {IDENTITY[new.identity]}", (lock,)))
    if kept is not None and new.identity_options is not None and kept != new.identity_options:
        late.append(set_options(table, new, kept, new.identity_options, lock))
    if new.default is not None and not new.generated and default_changes:
        late.append(Statement(f"{col} SET DEFAULT {new.default}"))
    return early, late, retyped
