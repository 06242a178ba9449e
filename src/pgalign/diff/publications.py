"""Publications (Supabase Realtime's `supabase_realtime` among them) and their members."""

from __future__ import annotations

from pgalign.catalog.model import Catalog, Key, Publication
from pgalign.diff.common import Alteration, Context, comment, owner
from pgalign.diff.plan import Statement


def _with(pub: Publication) -> str:
    publish = ", ".join(pub.operations)
    root = "true" if pub.via_root else "false"
    return f"(publish = '{publish}', publish_via_partition_root = {root})"


def _tables(pub: Publication) -> frozenset[Key]:
    return frozenset(("table", table) for table in pub.tables)


class PublicationGenerator:
    def create(self, new: Publication, ctx: Context) -> list[Statement]:
        sql = f"CREATE PUBLICATION {new.name}"
        if new.all_tables:
            sql += " FOR ALL TABLES"
        elif new.members:
            sql += " FOR " + ", ".join(spec for _, spec in new.members)
        sql += f" WITH {_with(new)}"
        return [
            Statement(sql, after=_tables(new)),
            *comment("PUBLICATION", new.name, None, new.comment),
        ]

    def drop(self, old: Publication, ctx: Context) -> list[Statement]:
        return [Statement(f"DROP PUBLICATION {old.name}")]

    def alter(self, old: Publication, new: Publication, ctx: Context) -> Alteration | None:
        if old.all_tables != new.all_tables:
            return None
        out = []
        if (old.operations, old.via_root) != (new.operations, new.via_root):
            out.append(Statement(f"ALTER PUBLICATION {new.name} SET {_with(new)}"))
        before = dict(old.members)
        after = dict(new.members)
        # a dropped table leaves its publications by itself; one created again joins anew
        gone = {f"TABLE {t}" for t in old.tables if _dropped(t, ctx)}
        renewed = {f"TABLE {t}" for t in new.tables if _dropped(t, ctx)}
        for name, spec in before.items():
            if after.get(name) != spec and name not in gone:
                out.append(Statement(f"ALTER PUBLICATION {new.name} DROP {name}"))
        for name, spec in after.items():
            if before.get(name) != spec or name in renewed:
                out.append(
                    Statement(f"ALTER PUBLICATION {new.name} ADD {spec}", after=_tables(new))
                )
        return Alteration(
            create_phase=(
                *out,
                *owner("PUBLICATION", new.name, old.owner, new.owner, ctx),
                *comment("PUBLICATION", new.name, old.comment, new.comment),
            )
        )


def _dropped(table: str, ctx: Context) -> bool:
    key = ("table", table)
    return key not in ctx.target.objects or key in ctx.dropped


def memberships_to_restore(
    source: Catalog, target: Catalog, dropped: frozenset[Key]
) -> list[tuple[Key, Statement]]:
    """A table dropped and created again leaves its publications: add it back to those that
    do not change (one that changes does it in its own alteration)."""
    found = []
    for new in target.of_type(Publication):
        old = source.objects.get(new.key)
        if old != new:
            continue
        members = dict(new.members)
        for table in new.tables:
            spec = members.get(f"TABLE {table}")
            if ("table", table) in dropped and spec is not None:
                add = f"ALTER PUBLICATION {new.name} ADD {spec}"
                found.append((new.key, Statement(add, after=frozenset({("table", table)}))))
    return found
