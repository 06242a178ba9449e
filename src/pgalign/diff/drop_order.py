"""The order of the drops: dependents before what they depend on (source graph), and what
an object that stays still uses until its own alteration after the creates."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Set as AbstractSet

from pgalign.catalog import model as m
from pgalign.catalog.model import Catalog, CatalogObject, Key
from pgalign.diff.constraints import drop_constraint
from pgalign.diff.graph import cycles, topological
from pgalign.diff.plan import Statement


def order_drops(
    source: Catalog,
    target: Catalog,
    drops: dict[Key, list[Statement]],
    absorbed: dict[Key, Key],
    removed: set[Key],
    moving: set[Key],
    earlier: dict[Key, set[Key]],
    aside: AbstractSet[Key] = frozenset(),
) -> tuple[list[Key], list[Key]]:
    """The nodes of `drops` to run before the creates and those after, in order. Objects
    in `absorbed` go with the table they map to (a constraint with its DROP TABLE), unless
    that ties tables in a circle: such foreign keys are then dropped on their own first
    (`drops` and `absorbed` are updated). `earlier`: nodes to run before a node, beyond
    what pg_depend says. `aside`: types renamed aside early, whose DROP (node `aside_node`)
    comes after the creates."""
    drop_order, late_order, dependents, cyclic = _drop_orders(
        source, target, drops, absorbed, removed, moving, earlier, aside
    )
    tangled = _foreign_keys_in_cycles(source, drops, absorbed, dependents) if cyclic else []
    if not tangled:
        return drop_order, late_order
    # Tables that reference each other: their keys go first, then the tables.
    for key, constraint in tangled:
        del absorbed[key]
        drops[key].append(drop_constraint(constraint))
    drop_order, late_order, _, _ = _drop_orders(
        source, target, drops, absorbed, removed, moving, earlier, aside
    )
    return drop_order, late_order


def aside_node(key: Key) -> Key:
    """The plan's node for dropping the type or collation set aside under `key` (see
    rebuilds.py, collations.py)."""
    return (f"{key[0]}_aside", key[1])


def dropped_with(obj: CatalogObject, dropped: frozenset[Key]) -> Key | None:
    """The table whose DROP also drops `obj`, if the plan drops it."""
    owners: list[Key] = []
    if isinstance(obj, m.Constraint | m.Index | m.Statistics | m.Trigger | m.Rule | m.Policy):
        owners = [("table", obj.table), ("view", obj.table)]
    elif isinstance(obj, m.Sequence) and obj.owned_by is not None:
        owners = [("table", obj.owned_by[0])]
    elif isinstance(obj, m.Table) and obj.partition_of is not None:
        owners = [("table", obj.partition_of)]
    return next((owner for owner in owners if owner in dropped), None)


def _absorber(key: Key, absorbed: dict[Key, Key]) -> Key:
    """The node `key` is ordered as: an object dropped implicitly with its table is ordered
    as that table."""
    seen = set()
    while key in absorbed and key not in seen:
        seen.add(key)
        key = absorbed[key]
    return key


def _drop_orders(
    source: Catalog,
    target: Catalog,
    drops: dict[Key, list[Statement]],
    absorbed: dict[Key, Key],
    removed: set[Key],
    moving: set[Key],
    earlier: dict[Key, set[Key]],
    aside: AbstractSet[Key],
) -> tuple[list[Key], list[Key], dict[Key, set[Key]], bool]:
    """The drops before the creates and those after, in order; the graph they were ordered
    by, and whether it had a cycle to break."""
    dependents, users = _drop_graph(source, drops, absorbed)
    for node, before in earlier.items():
        if node in drops:
            dependents[node] |= {key for key in before if key in drops}
    # A type (or collation) set aside is dropped after the creates, after what used it
    # (what the plan drops for good, other types set aside that were built on it), and
    # before what it was built on that the plan drops.
    for key in aside:
        users_of = dependents.get(key, set())
        dependents[aside_node(key)] |= {aside_node(k) if k in aside else k for k in users_of}
    for before in dependents.values():
        before |= {aside_node(k) for k in before & aside}
    # What an object that stays still uses until its own alteration is dropped last (a
    # column lets go in its table's drop phase: DROP DEFAULT, DROP COLUMN).
    tgt = target.objects
    last = {
        key
        for key in drops
        if key in removed
        and any(
            d in tgt and d not in moving and not _let_go_by_columns(source, target, d, key)
            for d in users.get(key, ())
        )
    }
    last |= {aside_node(key) for key in aside}
    # ... and so is what those depend on in turn (the schema of a type dropped last), when
    # the plan drops it for good: one made again (or set aside) must go before its create
    grown = set(last)
    while grown:
        grown = {
            ref
            for ref, before in dependents.items()
            if ref not in last and ref in removed and before & grown
        }
        last |= grown
    first = [key for key in drops if key not in last]
    broken: list[Key] = []

    def needs(key: Key) -> set[Key]:
        return dependents.get(key, set())

    ordered = topological(first, needs, broken), topological(last, needs, broken)
    return *ordered, dependents, bool(broken)


def _let_go_by_columns(source: Catalog, target: Catalog, user: Key, used: Key) -> bool:
    """Whether `user` is a table that uses `used` only through columns the plan drops
    (in the table's drop phase, before the creates)."""
    table, kept = source.objects.get(user), target.objects.get(user)
    if not isinstance(table, m.Table) or not isinstance(kept, m.Table):
        return False
    through = [
        col.name
        for col in table.columns
        if used in source.depends_on(("column", f"{table.qualified}.{col.name}"))
    ]
    return bool(through) and all(kept.column(name) is None for name in through)


def _drop_graph(
    source: Catalog, drops: dict[Key, list[Statement]], absorbed: dict[Key, Key]
) -> tuple[dict[Key, set[Key]], dict[Key, set[Key]]]:
    """For each dropped node, the nodes to drop before it (a column's drop-phase statements,
    DROP DEFAULT or DROP COLUMN, are its table's), and the objects that use it."""
    dependents: dict[Key, set[Key]] = defaultdict(set)
    users: dict[Key, set[Key]] = defaultdict(set)
    for key, refs in source.dependencies.items() if drops else ():
        user: Key | None = None
        for ref in refs:
            # only what a dropped object has depending on it orders anything
            if ref not in drops and ref not in absorbed:
                continue
            if user is None:
                user = dropping = _absorber(key, absorbed)
                if key[0] == "column" and key not in drops:
                    table = source.table_of(key)
                    if table is not None:
                        dropping = _absorber(table.key, absorbed)
            node = _absorber(ref, absorbed)
            dependents[node].add(dropping)
            users[node].add(user)
    return dependents, users


def _foreign_keys_in_cycles(
    source: Catalog,
    drops: dict[Key, list[Statement]],
    absorbed: dict[Key, Key],
    dependents: dict[Key, set[Key]],
) -> list[tuple[Key, m.Constraint]]:
    """Foreign keys that would go with their table, but tie it in a circle to another
    dropped table (a references b, b references a): no order of DROP TABLEs works."""
    groups = cycles(drops, lambda key: dependents.get(key, set()))
    if not groups:
        return []
    group_of = {member: group for group in groups for member in group}
    found = []
    for key, owner in absorbed.items():
        obj = source.objects[key]
        table = _absorber(owner, absorbed)
        group = group_of.get(table)
        if group is None or not isinstance(obj, m.Constraint) or obj.type != "f":
            continue
        reached = {_absorber(ref, absorbed) for ref in source.depends_on(key)}
        if any(other in group for other in reached - {table}):
            found.append((key, obj))
    return sorted(found, key=lambda pair: pair[0])
