"""Catalog x Catalog -> Plan.

Every object that differs is altered in place when its generator can, else replaced. An
object that survives but depends on something dropped (or on a column dropped or retyped)
is rebuilt too. Drops run first, dependents before what they depend on (source graph);
then creates and alterations, dependencies first (target graph).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import replace
from typing import Any, Protocol

from pgalign.catalog import model as m
from pgalign.catalog.model import Catalog, CatalogObject, Key
from pgalign.diff.clones import clone_option_changes
from pgalign.diff.collations import collations_aside
from pgalign.diff.common import Alteration, Context, using_dropped_code
from pgalign.diff.constraints import ConstraintGenerator, IndexGenerator
from pgalign.diff.default_privileges import DefaultPrivilegeGenerator
from pgalign.diff.drop_order import dropped_with, order_drops
from pgalign.diff.foreign import ForeignDataWrapperGenerator, ForeignServerGenerator
from pgalign.diff.functions import FunctionGenerator
from pgalign.diff.graph import topological
from pgalign.diff.inheritance import copies_below, kept_by_children
from pgalign.diff.operators import CastGenerator, OperatorGenerator, link_order, links_remade
from pgalign.diff.plan import Change, Plan, Statement
from pgalign.diff.policies import PolicyGenerator
from pgalign.diff.publications import PublicationGenerator
from pgalign.diff.rebuilds import rebuild_types, tables_keyed_on, types_built_on
from pgalign.diff.rules import RuleGenerator
from pgalign.diff.schemas import CollationGenerator, ExtensionGenerator, SchemaGenerator
from pgalign.diff.sequences import SequenceGenerator, owners_let_go
from pgalign.diff.statistics import StatisticsGenerator
from pgalign.diff.tables import TableGenerator
from pgalign.diff.text_search import (
    TextSearchConfigurationGenerator,
    TextSearchDictionaryGenerator,
    configurations_letting_go,
)
from pgalign.diff.triggers import EventTriggerGenerator, TriggerGenerator, has_copies_of_its_own
from pgalign.diff.types import TypeGenerator, domains_on_dropped_functions
from pgalign.diff.versions import harmonize
from pgalign.diff.views import ViewGenerator


class Generator(Protocol):
    def create(self, new: Any, ctx: Context) -> list[Statement]: ...
    def drop(self, old: Any, ctx: Context) -> list[Statement]: ...
    def alter(self, old: Any, new: Any, ctx: Context) -> Alteration | None: ...


_types = TypeGenerator()
GENERATORS: dict[type, Generator] = {
    m.Schema: SchemaGenerator(),
    m.Extension: ExtensionGenerator(),
    m.Collation: CollationGenerator(),
    m.EnumType: _types,
    m.Domain: _types,
    m.CompositeType: _types,
    m.RangeType: _types,
    m.Sequence: SequenceGenerator(),
    m.Table: TableGenerator(),
    m.Constraint: ConstraintGenerator(),
    m.Index: IndexGenerator(),
    m.Statistics: StatisticsGenerator(),
    m.TextSearchDictionary: TextSearchDictionaryGenerator(),
    m.TextSearchConfiguration: TextSearchConfigurationGenerator(),
    m.View: ViewGenerator(),
    m.Function: FunctionGenerator(),
    m.Cast: CastGenerator(),
    m.Operator: OperatorGenerator(),
    m.Trigger: TriggerGenerator(),
    m.Rule: RuleGenerator(),
    m.EventTrigger: EventTriggerGenerator(),
    m.Policy: PolicyGenerator(),
    m.Publication: PublicationGenerator(),
    m.ForeignDataWrapper: ForeignDataWrapperGenerator(),
    m.ForeignServer: ForeignServerGenerator(),
    m.DefaultPrivilege: DefaultPrivilegeGenerator(),
}
# Kinds rebuilt when something they depend on goes away; tables only follow their parent.
REBUILT = {
    "view",
    "index",
    "statistics",
    "constraint",
    "trigger",
    "rule",
    "policy",
    "function",
    "cast",
    "operator",
}
# A retyped column is rebuilt by ALTER COLUMN TYPE for these; others must be dropped first
# (statistics too: PostgreSQL's rebuild loses their target, see statistics.py).
FOLLOW_RETYPE = {"index", "constraint"}


def generator(obj: CatalogObject) -> Generator:
    return GENERATORS[type(obj)]


def diff(source: Catalog, target: Catalog, *, compare_owners: bool = False) -> Plan:
    """The statements that turn a database shaped like `source` into `target`."""
    source, target = harmonize(source, target)
    src, tgt = source.objects, target.objects
    removed = {key for key in src if key not in tgt}
    added = {key for key in tgt if key not in src}
    regenerated: dict[Key, Key] = {}  # generated column -> its table
    while True:
        ctx = Context(source, target, compare_owners, regenerated=frozenset(regenerated))
        alterations, replaced = _alterations(ctx, set(regenerated.values()))
        for key in types_built_on(source, target, replaced):
            replaced.add(key)
            alterations.pop(key, None)
        for key in tables_keyed_on(source, target, replaced):
            replaced.add(key)
            alterations.pop(key, None)
        rebuilt = rebuild_types(source, target, replaced)
        collations_aside(source, target, replaced, rebuilt)
        _cascade(source, target, removed, replaced, alterations, rebuilt.retyped, added)
        more = _generated_on_dropped(source, target, removed | replaced)
        if more.keys() <= regenerated.keys():
            break
        regenerated |= more  # their tables' alterations drop and add them: again

    ctx = replace(ctx, created=frozenset(added | replaced), dropped=frozenset(removed | replaced))
    # Publications' members follow the tables the plan replaces or retypes, even when the
    # publication itself does not change (they are few); so do the states and comments of
    # triggers' copies on partitions (a new partition copies its parent's state, no comment).
    for key in [key for key in src if key[0] in ("publication", "trigger") and key in tgt]:
        old, new = src[key], tgt[key]
        if key not in replaced and (
            isinstance(old, m.Publication)
            or (
                isinstance(old, m.Trigger)
                and isinstance(new, m.Trigger)
                and (has_copies_of_its_own(old) or has_copies_of_its_own(new))
            )
        ):
            alterations[key] = generator(old).alter(old, new, ctx) or Alteration()
    drops: dict[Key, list[Statement]] = defaultdict(list)
    creates: dict[Key, list[Statement]] = defaultdict(list)
    extra_needs: dict[Key, set[Key]] = defaultdict(set)

    def place(into: dict[Key, list[Statement]], key: Key, statements: Iterable[Statement]) -> None:
        for stmt in statements:
            node = stmt.node or key
            into[node].append(stmt)
            if stmt.after:
                extra_needs[node] |= stmt.after

    for key, statements in clone_option_changes(ctx):
        if key in ctx.created:
            place(creates, key, statements)
        else:  # an alteration of the partition, even when it is otherwise the same
            found = alterations.get(key) or Alteration()
            alterations[key] = replace(found, create_phase=(*found.create_phase, *statements))
    gone = {key for alteration in alterations.values() for key in alteration.dropped_columns}
    for table_key, first, again in owners_let_go(source, target, ctx.dropped, gone):
        place(drops, table_key, [first])  # before the table's own drops, placed below
        place(creates, table_key, again)  # (each on its own "owned_by" node)
    absorbed: dict[Key, Key] = {}
    for key in sorted(removed | replaced):
        if key in rebuilt.renamed:
            continue
        statements = generator(src[key]).drop(src[key], ctx)
        # Default privileges change after every create: new objects get the source's.
        place(creates if key[0] == "default_privilege" else drops, key, statements)
        if not statements:
            owner = dropped_with(src[key], ctx.dropped)
            if owner is not None:
                absorbed[key] = owner
    for key, statements in rebuilt.drops.items():
        place(drops, key, statements)
    for parent_key, stmt in kept_by_children(source, target, ctx.dropped):
        place(drops, parent_key, [stmt])
    for table_key, early, late in _defaults_to_reset(source, target, ctx.dropped):
        place(drops, table_key, early)
        place(creates, table_key, late)
    let_go: set[Key] = set()  # objects that stay but let go of what they use early
    for old, new, early, late in domains_on_dropped_functions(source, target, ctx.dropped):
        let_go.add(old.key)
        place(drops, old.key, early)
        place(creates, old.key, late)
        if old.key in alterations:  # what else changes: its default and checks are set
            settled = replace(old, default=new.default, constraints=new.constraints)
            alterations[old.key] = generator(old).alter(settled, new, ctx) or Alteration()
    for config, unmapped, early in configurations_letting_go(source, target, ctx.dropped):
        let_go.add(config.key)
        place(drops, config.key, early)
        # (its alteration maps those token types again)
        alterations[config.key] = (
            generator(config).alter(unmapped, tgt[config.key], ctx) or Alteration()
        )
    for key, statements in rebuilt.creates.items():
        place(creates, key, statements)
    for key, alteration in alterations.items():
        place(drops, key, alteration.drop_phase)
        place(creates, key, alteration.create_phase)
    for key in sorted(added | replaced):
        place(creates, key, generator(tgt[key]).create(tgt[key], ctx))

    # (a type set aside still uses what it was built on until its drop after the creates)
    moving = (replaced - rebuilt.renamed) | set(regenerated.values()) | let_go
    # A publication's members let go of their tables' columns before those change or go
    # (also by their parents' DROP COLUMN, which recurses).
    earlier: dict[Key, set[Key]] = defaultdict(set)
    for key in drops:
        pub = src.get(key)
        if isinstance(pub, m.Publication):
            for table in _with_ancestors(source, pub.tables):
                earlier[("table", table)].add(key)
    # What uses a partition's or heir's copy of a column goes before its parent's DROP COLUMN.
    dropped_below = copies_below(source, gone, dropping=True)
    for key in drops if dropped_below else ():
        for column in source.depends_on(key) & dropped_below.keys():
            earlier[dropped_below[column]].add(key)
    for key, before in (*_uses_of_new_casts(target, creates), *link_order(target, creates)):
        extra_needs[key].add(before)
    drop_order, late_order = order_drops(
        source, target, drops, absorbed, removed, moving, earlier, rebuilt.renamed
    )
    create_order = topological(
        creates,
        lambda key: (
            target.depends_on(key) | extra_needs[key]
            if key in extra_needs
            else target.depends_on(key)
        ),
    )
    statements = [stmt for key in drop_order for stmt in drops[key]]
    statements += [stmt for key in create_order for stmt in creates[key]]
    statements += [stmt for key in late_order for stmt in drops[key]]
    # Enum labels are added first, in a transaction of their own (see Statement).
    statements.sort(key=lambda stmt: not stmt.commit_first)
    if any(_needs_unchecked_bodies(tgt[key]) for key in creates if key in tgt):
        # SQL function bodies are checked at creation, and what they use (tables, views,
        # other functions) is not in pg_depend, so it may come later in the plan.
        committed_first = sum(1 for stmt in statements if stmt.commit_first)
        statements.insert(committed_first, Statement("SET check_function_bodies = off"))
        statements.append(Statement("RESET check_function_bodies"))
    return Plan(tuple(statements), _changes(removed, added, replaced, alterations))


def _uses_of_new_casts(target: Catalog, creates: Iterable[Key]) -> Iterator[tuple[Key, Key]]:
    """(node, cast) for what the plan creates or alters that calls the function of a cast it
    creates: PostgreSQL records only the function, but the expression may have been
    written with the cast (a view's implicit cast, a default's assignment cast)."""
    casts = {
        ref: key
        for key in creates
        if key[0] == "cast"
        for ref in target.depends_on(key)
        if ref[0] == "function"
    }
    if not casts:
        return
    for key in creates:
        if key[0] not in ("cast", "type"):  # (a type a cast is between would wait for it)
            for ref in casts.keys() & target.depends_on(key):
                yield key, casts[ref]


def _with_ancestors(catalog: Catalog, tables: Iterable[str]) -> set[str]:
    found: set[str] = set()
    todo = list(tables)
    while todo:
        name = todo.pop()
        table = catalog.objects.get(("table", name))
        if name not in found and isinstance(table, m.Table):
            found.add(name)
            todo += table.parents
    return found


def _alterations(ctx: Context, tables: set[Key]) -> tuple[dict[Key, Alteration], set[Key]]:
    """What differs and can be altered in place, and what must be replaced; `tables` are
    altered even when equal (a generated column of theirs is added again)."""
    alterations: dict[Key, Alteration] = {}
    replaced: set[Key] = set()
    tgt = ctx.target.objects
    table_type = m.Table
    owners = ctx.compare_owners  # (an owner does not count in ==)
    for key, old in ctx.source.objects.items():
        new = tgt.get(key)
        # (asked of every equal object: the cheap test first)
        if new is None or (
            new == old
            and (not owners or getattr(old, "owner", None) == getattr(new, "owner", None))
            and key not in tables
            and (
                type(old) is not table_type
                or not (old.partition_of or old.inherits)
                or not _parent_altered(old, ctx)
            )
        ):
            continue
        found = generator(old).alter(old, new, ctx) if type(old) is type(new) else None
        if found is None:
            replaced.add(key)
        else:
            alterations[key] = found
    return alterations, replaced


def _parent_altered(obj: m.Table, ctx: Context) -> bool:
    """Whether a partition's or heir's parent table changes: what the parent's ALTERs
    recurse into may undo the child's own defaults (its alteration says them again)."""
    parents = [("table", parent) for parent in obj.parents]
    return any(ctx.source.objects.get(p) != ctx.target.objects.get(p) for p in parents)


def _generated_on_dropped(source: Catalog, target: Catalog, dropped: set[Key]) -> dict[Key, Key]:
    """Generated columns of surviving tables whose expression calls a function the plan
    drops: PostgreSQL cannot change the expression (before 17), so they are added again."""
    return {
        column_key: table.key
        for column_key, table, old, _, _ in _columns_on_dropped_functions(source, target, dropped)
        if old.generated
    }


def _columns_on_dropped_functions(
    source: Catalog, target: Catalog, dropped: AbstractSet[Key]
) -> Iterator[tuple[Key, m.Table, m.Column, m.Column, frozenset[Key]]]:
    """Columns that use a function the plan drops, in tables that stay and keep them: each
    with its table, itself before and after, and those functions."""
    for column_key, functions in using_dropped_code(source, dropped, "column"):
        table = source.table_of(column_key)
        if table is None or table.key in dropped:
            continue
        old = table.column(column_key[1][len(table.qualified) + 1 :])
        new_table = target.objects.get(table.key)
        new = new_table.column(old.name) if isinstance(new_table, m.Table) and old else None
        if old is not None and new is not None:
            yield column_key, table, old, new, functions


def _defaults_to_reset(
    source: Catalog, target: Catalog, dropped: frozenset[Key]
) -> list[tuple[Key, list[Statement], list[Statement]]]:
    """Column defaults that use a function the plan drops and creates again: unset before,
    set again after (the column and its default stay as they are)."""
    found = []
    for _, table, old, new, functions in _columns_on_dropped_functions(source, target, dropped):
        if new.default is None or new.generated or new != old:
            continue
        col = f"ALTER TABLE {table.qualified} ALTER COLUMN {old.name}"
        found.append(
            (
                table.key,
                [Statement(f"{col} DROP DEFAULT")],
                [Statement(f"{col} SET DEFAULT {new.default}", after=functions)],
            )
        )
    return found


def _needs_unchecked_bodies(obj: CatalogObject) -> bool:
    return isinstance(obj, m.Function) and obj.language == "sql"


def _cascade(
    source: Catalog,
    target: Catalog,
    removed: set[Key],
    replaced: set[Key],
    alterations: dict[Key, Alteration],
    retyped: set[Key],
    added: set[Key],
) -> None:
    """Add to `replaced` what must be rebuilt because something it depends on goes away
    (or, for an operator, a link PostgreSQL would set or take off: see links_remade)."""
    retyped = set(retyped)
    gone: set[Key] = removed | replaced
    dropped_columns: set[Key] = set()
    for alteration in alterations.values():
        dropped_columns |= alteration.dropped_columns
        retyped |= alteration.retyped_columns
    # (the partitions' and heirs' copies of those columns go or change with them)
    gone |= dropped_columns | copies_below(source, dropped_columns, dropping=True).keys()
    retyped |= copies_below(source, retyped, dropping=False).keys()
    surviving = [key for key in source.objects if key in target.objects]
    while True:
        grew = False
        for key in surviving:
            if key in replaced:
                continue
            needs = source.depends_on(key)
            hit = needs & gone
            if key[0] not in FOLLOW_RETYPE or (
                retyped and _ties_retyped_columns(source.objects[key], needs & retyped)
            ):
                hit |= needs & retyped
            if not hit:
                continue
            if key[0] not in REBUILT and not _outlived(source.objects[key], hit):
                continue
            replaced.add(key)
            alterations.pop(key, None)
            gone.add(key)
            grew = True
        if not grew:
            lost = links_remade(source, target, gone, added) - replaced
            if not lost:
                return
            replaced |= lost
            gone |= lost
            for key in lost:
                alterations.pop(key, None)


def _ties_retyped_columns(obj: CatalogObject, retyped_needs: frozenset[Key]) -> bool:
    """A foreign key between columns that change type on both sides: retyping one side
    first leaves a key between, say, text and integer, which PostgreSQL refuses."""
    return isinstance(obj, m.Constraint) and obj.type == "f" and len(retyped_needs) > 1


def _outlived(obj: CatalogObject, hit: frozenset[Key] | set[Key]) -> bool:
    """A partition or heir cannot outlive its parent table, nor a foreign table its server."""
    if not isinstance(obj, m.Table):
        return False
    if obj.foreign is not None and ("server", obj.foreign.server) in hit:
        return True
    return any(("table", parent) in hit for parent in obj.parents)


def _changes(
    removed: set[Key], added: set[Key], replaced: set[Key], alterations: dict[Key, Alteration]
) -> tuple[Change, ...]:
    found = [(*k, "drop") for k in removed]
    found += [(*k, "create") for k in added]
    found += [(*k, "replace") for k in replaced]
    found += [(*k, "alter") for k, a in alterations.items() if a]
    return tuple(Change(*change) for change in sorted(found))  # by kind, name, action
