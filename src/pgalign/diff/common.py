"""What every generator needs: its context, comments, privileges and owners."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import field
from functools import cache, cached_property

from pgalign.catalog.model import (
    OWNER,
    PUBLIC,
    Catalog,
    DefaultPrivilege,
    Key,
    Privileges,
    Table,
)
from pgalign.diff import hazards
from pgalign.diff.plan import Statement
from pgalign.record import Record, record
from pgalign.sql import ident, literal


@record
class Alteration(Record):
    """An in-place change: statements before the creates (drops of defaults, columns...) and
    with them, plus the columns whose dependents must be rebuilt."""

    drop_phase: tuple[Statement, ...] = ()
    create_phase: tuple[Statement, ...] = ()
    dropped_columns: frozenset[Key] = frozenset()
    retyped_columns: frozenset[Key] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.drop_phase or self.create_phase)


@record
class Context(Record):
    source: Catalog
    target: Catalog
    compare_owners: bool = False
    created: frozenset[Key] = field(default=frozenset())  # objects the plan creates anew
    dropped: frozenset[Key] = field(default=frozenset())  # objects the plan drops (or replaces)
    regenerated: frozenset[Key] = field(default=frozenset())  # columns dropped and added again

    @cached_property
    def source_default_acls(self) -> list[DefaultPrivilege]:
        return self.source.of_type(DefaultPrivilege)


# What PUBLIC and the owner hold on a new object, by GRANT object keyword.
PUBLIC_DEFAULTS = {"FUNCTION": {"EXECUTE"}, "PROCEDURE": {"EXECUTE"}, "TYPE": {"USAGE"}}
OWNER_DEFAULTS = {
    "TABLE": {"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"},
    "SEQUENCE": {"USAGE", "SELECT", "UPDATE"},
    "FUNCTION": {"EXECUTE"},
    "PROCEDURE": {"EXECUTE"},
    "SCHEMA": {"USAGE", "CREATE"},
    "TYPE": {"USAGE"},
    "FOREIGN DATA WRAPPER": {"USAGE"},
    "FOREIGN SERVER": {"USAGE"},
}


@cache  # the same few sets, asked for each new object
def default_privileges(grant_kind: str) -> Privileges:
    owner = OWNER_DEFAULTS.get(grant_kind, ())
    return frozenset(
        {(PUBLIC, p, False) for p in PUBLIC_DEFAULTS.get(grant_kind, ())}
        | {(OWNER, p, False) for p in owner}
    )


# ALTER DEFAULT PRIVILEGES object types, by GRANT object keyword (views count as tables).
DEFAULT_ACL_TYPES = {
    "TABLE": "r",
    "SEQUENCE": "S",
    "FUNCTION": "f",
    "PROCEDURE": "f",
    "TYPE": "T",
    "SCHEMA": "n",
}


def new_object_privileges(kind: str, ctx: Context, schema: str | None, owner: str) -> Privileges:
    """What an object gets when the plan creates it in the source database: the built-in
    defaults, or its creator's global default privileges instead, plus those of its schema.
    The creator is taken to be the object's owner (on Supabase, postgres)."""
    privileges = default_privileges(kind)
    object_type = DEFAULT_ACL_TYPES.get(kind)
    entries = [
        entry
        for entry in ctx.source_default_acls
        if entry.object_type == object_type and entry.role.strip('"') == owner
    ]
    for entry in entries:
        if entry.schema is None:
            privileges = entry.privileges
    for entry in entries:
        if entry.schema is not None and entry.schema == schema:
            privileges |= entry.privileges
    return privileges


def comment(kind: str, name: str, old: str | None, new: str | None) -> list[Statement]:
    if old == new:
        return []
    text = "NULL" if new is None else literal(new)
    return [Statement(f"COMMENT ON {kind} {name} IS {text}")]


def member_comments(
    kind: str,
    name_of: Callable[[str], str],
    old: Iterable[tuple[str, str | None]],
    new: Iterable[tuple[str, str | None]],
) -> list[Statement]:
    """COMMENT ON each member (a view's column, a domain's constraint...) whose comment goes
    from `old` to `new`, given as (member, comment); `old` holds only members that stay."""
    before, after = dict(old), dict(new)
    out: list[Statement] = []
    for member in sorted(before.keys() | after.keys()):
        out += comment(kind, name_of(member), before.get(member), after.get(member))
    return out


def option_changes(head: str, old: tuple[str, ...], new: tuple[str, ...]) -> list[Statement]:
    """`head` RESET (...) and SET (...) turning storage options `old` into `new`
    (`head`: "ALTER TABLE s.t", "ALTER INDEX s.i", ...)."""
    still = {o.split("=", 1)[0] for o in new}  # SET overwrites: RESET only what goes
    removed = [name for o in old if (name := o.split("=", 1)[0]) not in still]
    added = [o for o in new if o not in old]
    out = []
    if removed:
        out.append(Statement(f"{head} RESET ({', '.join(removed)})"))
    if added:
        out.append(Statement(f"{head} SET ({', '.join(added)})"))
    return out


def grants(
    kind: str,
    name: str,
    old: Privileges | None,
    new: Privileges,
    ctx: Context,
    owner: str,
    columns: str = "",
    schema: str | None = None,
) -> list[Statement]:
    """GRANT/REVOKE turning `old` (None: what a new object in `schema` gets) into `new`."""
    before = new_object_privileges(kind, ctx, schema, owner) if old is None else old
    if before == new:
        return []
    before = _name_owner(before, owner)
    after = _name_owner(new, owner)
    hazard = (hazards.authz(f"changes who may use {name}"),)
    out: list[Statement] = []
    cols = f" ({columns})" if columns else ""
    for grantee, privilege, grantable in sorted(before - after):
        if (grantee, privilege, not grantable) in after and grantable:
            out.append(
                Statement(
                    f"REVOKE GRANT OPTION FOR {privilege}{cols} ON {kind} {name} FROM {grantee}",
                    hazard,
                )
            )
        elif (grantee, privilege, not grantable) not in after:
            out.append(
                Statement(f"REVOKE {privilege}{cols} ON {kind} {name} FROM {grantee}", hazard)
            )
    for grantee, privilege, grantable in sorted(after - before):
        if (grantee, privilege, not grantable) in before and not grantable:
            continue  # handled by the REVOKE GRANT OPTION above
        option = " WITH GRANT OPTION" if grantable else ""
        out.append(
            Statement(f"GRANT {privilege}{cols} ON {kind} {name} TO {grantee}{option}", hazard)
        )
    return out


def left_by_revokes(column: Privileges, old: Privileges | None, new: Privileges) -> Privileges:
    """A column's privileges once the REVOKEs that turn its table's from `old` into `new`
    (see grants) have run: PostgreSQL revokes a table privilege, or its grant option, on
    each column too."""
    if old is None or old == new or not column:
        return column
    left = set(column)
    for grantee, privilege, grantable in old - new:
        if (grantee, privilege, not grantable) not in new:  # REVOKE privilege
            left -= {(grantee, privilege, True), (grantee, privilege, False)}
        elif grantable and (grantee, privilege, True) in left:  # REVOKE GRANT OPTION FOR
            left -= {(grantee, privilege, True)}
            left.add((grantee, privilege, False))
    return frozenset(left)


def _name_owner(privileges: Privileges, owner: str) -> Privileges:
    return frozenset((ident(owner) if p[0] == OWNER else p[0], p[1], p[2]) for p in privileges)


def owner(kind: str, name: str, old: str | None, new: str, ctx: Context) -> list[Statement]:
    if not ctx.compare_owners or old == new:
        return []
    return [Statement(f"ALTER {kind} {name} OWNER TO {ident(new)}")]


CODE = ("function", "operator")  # what expressions call


def using_dropped_code(
    catalog: Catalog, dropped: AbstractSet[Key], kind: str
) -> Iterator[tuple[Key, frozenset[Key]]]:
    """Objects of `kind` (their key's first part) that use a function the plan drops (to
    create it again, usually), each with those functions; an operator counts as one."""
    if not any(key[0] in CODE for key in dropped):
        return
    for key, needs in catalog.dependencies.items():
        if key[0] == kind:
            functions = frozenset(ref for ref in needs & dropped if ref[0] in CODE)
            if functions:
                yield key, functions


def reattached(old: Table, new: Table) -> bool:
    """Whether the plan detaches the partition and attaches it again (or elsewhere): its
    copies of the parent's indexes, keys and triggers are then made anew."""
    return (old.partition_of, old.partition_bound) != (new.partition_of, new.partition_bound)


def copied_anew(partition: str, above: str | None, ctx: Context) -> bool:
    """Whether the plan makes anew the partition's copies of what its ancestor `above` (None:
    the topmost) has, an index or a trigger: it or a partition between them is created, or
    detached and attached again (DETACH takes the copies below along)."""
    name: str | None = partition
    while name is not None and name != above:
        key: Key = ("table", name)
        old, new = ctx.source.objects.get(key), ctx.target.objects.get(key)
        if old is None and new is None:
            return False  # out of scope: nothing is known of it
        if key in ctx.created or not isinstance(old, Table) or not isinstance(new, Table):
            return True
        if reattached(old, new):
            return True
        name = new.partition_of
    return False
