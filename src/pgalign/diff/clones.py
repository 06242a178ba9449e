"""A partition's copies of its parent's indexes given storage options of their own, or
clustered on.

PostgreSQL makes such a copy with its parent's options, and not clustered: when the
partition is created or attached, and when the parent's index (or key) is created. The
copy's own options and CLUSTER ON are then said again, whether or not the partition
itself changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from pgalign.catalog.model import CloneOptions, Key, Table
from pgalign.diff.common import Context, option_changes, reattached
from pgalign.diff.constraints import cluster_on
from pgalign.diff.plan import Statement


def clone_option_changes(ctx: Context) -> Iterator[tuple[Key, list[Statement]]]:
    """The ALTER INDEX ... SET/RESET of each partition whose copies of its parents'
    indexes the plan leaves with other options than the target's."""
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
        after = {clone.index: clone for clone in new.clone_options}
        out: list[Statement] = []
        for name, clone in after.items():
            prior = before.get(name)
            was = prior.options if prior is not None else clone.parent_options
            out += _set(new, clone, was, clone.options)
        for name, prior in before.items():
            if name not in after and prior.root in tgt and _still_cloned(new, name):
                out += _set(new, prior, prior.options, prior.parent_options)
        out += _cluster_again(old, new, ctx) if isinstance(old, Table) else []
        if out:
            yield key, out


def _kept(old: Table, new: Table, ctx: Context) -> dict[str, CloneOptions]:
    """The copies that keep their own options through the plan: not made anew with the
    partition, on ATTACH, or with the index they copy."""
    if new.key in ctx.created:
        return {}
    if reattached(old, new):
        return {}  # detached (their copies dropped) and attached again
    return {c.index: c for c in old.clone_options if c.root not in ctx.created}


def _cluster_again(old: Table, new: Table, ctx: Context) -> list[Statement]:
    """CLUSTER ON once more when the partition stays clustered on a copy that the plan
    makes anew (its own alteration says it when it changes)."""
    name = new.cluster_index
    if name is None or old.cluster_index != name or not _still_cloned(new, name):
        return []
    if new.key in ctx.created:
        return []  # said by its creation (tables.py)
    remade = made_above(new, ctx)
    if not reattached(old, new) and not remade:
        return []
    return [replace(cluster_on(new), after=remade | {new.key})]


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
    table: Table, clone: CloneOptions, old: tuple[str, ...], new: tuple[str, ...]
) -> list[Statement]:
    # after the copy exists: once both the partition and the index it copies do
    after = frozenset({table.key, clone.root})
    node = ("clone_options", table.qualified)
    changes = option_changes(f"ALTER INDEX {table.schema}.{clone.index}", old, new)
    return [replace(stmt, after=after, node=node) for stmt in changes]
