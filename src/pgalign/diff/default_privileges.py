"""ALTER DEFAULT PRIVILEGES: what roles get on objects created from now on."""

from __future__ import annotations

from pgalign.catalog.model import OWNER, PUBLIC, DefaultPrivilege, Privileges
from pgalign.diff import hazards
from pgalign.diff.common import Alteration, Context
from pgalign.diff.plan import Statement

OBJECTS = {"r": "TABLES", "S": "SEQUENCES", "f": "FUNCTIONS", "T": "TYPES", "n": "SCHEMAS"}
# Without an entry, PUBLIC has these on new objects (the owner has everything).
BUILTIN = {"f": "EXECUTE", "T": "USAGE"}


def _baseline(entry: DefaultPrivilege) -> Privileges:
    if entry.schema is not None or entry.object_type not in BUILTIN:
        return frozenset()
    return frozenset({(PUBLIC, BUILTIN[entry.object_type], False)})


def _statements(entry: DefaultPrivilege, old: Privileges, new: Privileges) -> list[Statement]:
    head = f"ALTER DEFAULT PRIVILEGES FOR ROLE {entry.role}"
    if entry.schema is not None:
        head += f" IN SCHEMA {entry.schema}"
    objects = OBJECTS[entry.object_type]
    why = (hazards.authz(f"changes what roles get on {objects.lower()} {entry.role} creates"),)
    out = []
    for grantee, privilege, _ in sorted(old - new):
        name = entry.role if grantee == OWNER else grantee
        out.append(Statement(f"{head} REVOKE {privilege} ON {objects} FROM {name}", why))
    for grantee, privilege, grantable in sorted(new - old):
        name = entry.role if grantee == OWNER else grantee
        option = " WITH GRANT OPTION" if grantable else ""
        out.append(Statement(f"{head} GRANT {privilege} ON {objects} TO {name}{option}", why))
    return out


def _owner_all(entry: DefaultPrivilege, privileges: Privileges) -> Privileges:
    # A global entry lists the owner's own rights; they are the same as without an entry.
    if entry.schema is None:
        return frozenset(p for p in privileges if p[0] != OWNER)
    return privileges


class DefaultPrivilegeGenerator:
    def create(self, new: DefaultPrivilege, ctx: Context) -> list[Statement]:
        return _statements(new, _baseline(new), _owner_all(new, new.privileges))

    def drop(self, old: DefaultPrivilege, ctx: Context) -> list[Statement]:
        if old.schema is not None and ("schema", old.schema) in ctx.dropped:
            return []  # DROP SCHEMA takes the schema's entries along
        return _statements(old, _owner_all(old, old.privileges), _baseline(old))

    def alter(
        self, old: DefaultPrivilege, new: DefaultPrivilege, ctx: Context
    ) -> Alteration | None:
        return Alteration(
            create_phase=tuple(
                _statements(new, _owner_all(old, old.privileges), _owner_all(new, new.privileges))
            )
        )
