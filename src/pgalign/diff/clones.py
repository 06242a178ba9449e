"""A partition's copies of its parent's indexes given storage options or a comment of
their own, or clustered on; its copies of its parent's keys and foreign keys given a
comment.

PostgreSQL makes such a copy with its parent's options, no comment, and not clustered:
when the partition (or a partition above it) is created or attached, and when the parent's
index (or key) is created. The copy's own options, comment and CLUSTER ON are then said
again, whether or not the partition itself changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from pgalign.catalog.model import CloneOptions, Constraint, Index, Key, Table
from pgalign.diff.common import Context, comment, copied_anew, option_changes, reattached
from pgalign.diff.constraints import cluster_on
from pgalign.diff.plan import Statement


def clone_option_changes(ctx: Context) -> Iterator[tuple[Key, list[Statement]]]:
    """The ALTER INDEX ... SET/RESET and COMMENT ON INDEX or CONSTRAINT of each partition
    whose copies of its parents' indexes and constraints the plan leaves with other options
    or comments than the target's."""
    src, tgt = ctx.source.objects, ctx.target.objects
    keys = {key for key, obj in src.items() if type(obj) is Table and obj.clone_options}
    keys |= {
        key
        for key, obj in tgt.items()
        if type(obj) is Table and (obj.clone_options or (obj.partition_of and obj.cluster_index))
    }
    for key in sorted(keys):
        old, new = src.get(key), tgt.get(key)
        if not isinstance(new, Table):
            continue
        before = _kept(old, new, ctx) if isinstance(old, Table) else {}
        after = {_copy(clone): clone for clone in new.clone_options}
        out: list[Statement] = []
        for copy, clone in after.items():
            prior = before.get(copy)
            out += _set(new, clone, _as_made(clone) if prior is None else prior, clone)
        for copy, prior in before.items():
            if copy not in after and prior.root in tgt and _still_cloned(new, prior.name):
                out += _set(new, prior, prior, _as_made(prior))
        out += _cluster_again(old, new, ctx) if isinstance(old, Table) else []
        if out:
            yield key, out


def _copy(clone: CloneOptions) -> str:
    """Which copy it is: a key and its index share a name."""
    return f"{clone.kind} {clone.name}"


def _kept(old: Table, new: Table, ctx: Context) -> dict[str, CloneOptions]:
    """The copies that keep their own options and comment through the plan: not made anew
    with the partition, on ATTACH (of it or a partition above), or with the index they
    copy."""
    if new.key in ctx.created:
        return {}
    return {
        _copy(clone): clone
        for clone in old.clone_options
        if clone.root not in ctx.created
        and not copied_anew(new.qualified, _root_table(clone, ctx), ctx)
    }


def _root_table(clone: CloneOptions, ctx: Context) -> str | None:
    """The partitioned table whose index (or key) the copy copies, at the root."""
    root = ctx.source.objects.get(clone.root)
    return root.table if isinstance(root, Index | Constraint) else None


def _as_made(clone: CloneOptions) -> CloneOptions:
    """The copy as PostgreSQL makes it: with its parent's options, and no comment."""
    return replace(clone, options=clone.parent_options, comment=None)


def _cluster_again(old: Table, new: Table, ctx: Context) -> list[Statement]:
    """CLUSTER ON once more when the partition stays clustered on a copy that the plan
    makes anew (its own alteration says it when it changes)."""
    name = new.cluster_index
    if name is None or old.cluster_index != name or not _still_cloned(new, name):
        return []
    if new.key in ctx.created:
        return []  # said by its creation (tables.py)
    # (a partition above that moves drops its copies, and with them those below: said
    # again even when the copy is of an index of its own, which stays)
    remade = made_above(new, ctx) | _moved_above(new, ctx)
    if not reattached(old, new) and not remade:
        return []
    return [replace(cluster_on(new), after=remade | {new.key})]


def _moved_above(table: Table, ctx: Context) -> frozenset[Key]:
    """The partitions above it that the plan detaches and attaches again."""
    moved = set()
    for parent in _ancestors(table, ctx):
        key: Key = ("table", parent)
        old, new = ctx.source.objects.get(key), ctx.target.objects.get(key)
        if isinstance(old, Table) and isinstance(new, Table) and reattached(old, new):
            moved.add(key)
    return frozenset(moved)


def made_above(table: Table, ctx: Context) -> frozenset[Key]:
    """The indexes and keys the plan creates on the partition's parents: each makes a copy
    on it."""
    if table.partition_of is None:
        return frozenset()
    above = _ancestors(table, ctx)
    return frozenset(
        key
        for key in ctx.created
        if key[0] in ("index", "constraint")
        and getattr(ctx.target.objects.get(key), "table", None) in above
    )


def _ancestors(table: Table, ctx: Context) -> set[str]:
    found: set[str] = set()
    parent = table.partition_of
    while parent is not None and parent not in found:
        found.add(parent)
        above = ctx.target.objects.get(("table", parent))
        parent = above.partition_of if isinstance(above, Table) else None
    return found


def _still_cloned(table: Table, name: str) -> bool:
    return f"INDEX {name}" in table.cloned or f"CONSTRAINT {name}" in table.cloned


def _set(
    table: Table, clone: CloneOptions, old: CloneOptions, new: CloneOptions
) -> list[Statement]:
    """The copy's options and comment from `old`'s to `new`'s."""
    # after the copy exists: once both the partition and what it copies do
    after = frozenset({table.key, clone.root})
    node = ("clone_options", table.qualified)
    if clone.kind == "CONSTRAINT":
        on = f"{clone.name} ON {table.qualified}"
        changes = comment("CONSTRAINT", on, old.comment, new.comment)
        return [replace(stmt, after=after, node=node) for stmt in changes]
    index = f"{table.schema}.{clone.name}"
    changes = option_changes(f"ALTER INDEX {index}", old.options, new.options)
    changes += comment("INDEX", index, old.comment, new.comment)
    return [replace(stmt, after=after, node=node) for stmt in changes]
