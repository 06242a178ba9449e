"""Publications (Supabase Realtime's `supabase_realtime` among them) and their members."""

from __future__ import annotations

from pgalign.catalog.model import Key, Publication, Table
from pgalign.diff.common import Alteration, Context, comment, owner
from pgalign.diff.plan import Statement
from pgalign.sql import last_identifier, row_filter_columns


def _with(pub: Publication) -> str:
    publish = ", ".join(pub.operations)
    root = "true" if pub.via_root else "false"
    return f"(publish = '{publish}', publish_via_partition_root = {root})"


def _only(spec: str) -> str:
    """A member as itself alone: `TABLE t` would bring t's inheritance children along
    (adding or dropping them too then fails, and leaving one out is not possible)."""
    return "TABLE ONLY " + spec.removeprefix("TABLE ") if spec.startswith("TABLE ") else spec


def _tables(pub: Publication) -> frozenset[Key]:
    return frozenset(("table", table) for table in pub.tables)


class PublicationGenerator:
    def create(self, new: Publication, ctx: Context) -> list[Statement]:
        sql = f"CREATE PUBLICATION {new.name}"
        if new.all_tables:
            sql += " FOR ALL TABLES"
        elif new.members:
            sql += " FOR " + ", ".join(_only(spec) for _, spec in new.members)
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
        gone |= {name for name, _ in old.members if _schema_dropped(name, ctx)}
        renewed = {f"TABLE {t}" for t in new.tables if _dropped(t, ctx)}
        renewed |= _reading_changed_columns(old, ctx)
        # before the tables' alterations: a member holds the columns it names (see compare)
        early = [
            Statement(f"ALTER PUBLICATION {new.name} DROP {_only(name)}")
            for name, spec in before.items()
            if (after.get(name) != spec or name in renewed) and name not in gone
        ]
        for name, spec in after.items():
            if before.get(name) != spec or name in renewed:
                out.append(
                    Statement(f"ALTER PUBLICATION {new.name} ADD {_only(spec)}", after=_tables(new))
                )
        return Alteration(
            drop_phase=tuple(early),
            create_phase=(
                *out,
                *owner("PUBLICATION", new.name, old.owner, new.owner, ctx),
                *comment("PUBLICATION", new.name, old.comment, new.comment),
            ),
        )


def _reading_changed_columns(old: Publication, ctx: Context) -> set[str]:
    """Members whose column list or row filter names a column that changes type or goes:
    PostgreSQL refuses the ALTER COLUMN ... TYPE or DROP COLUMN, so they leave the
    publication first and join again after."""
    found = set()
    for name, spec in old.members:
        if not spec.endswith(")"):
            continue  # neither a column list nor a row filter (most members: a cheap test)
        table_name = name.removeprefix("TABLE ")
        table = ctx.source.objects.get(("table", table_name))
        new_table = ctx.target.objects.get(("table", table_name))
        if not isinstance(table, Table) or not isinstance(new_table, Table):
            continue
        changed = {
            last_identifier(col.name)
            for col in table.columns
            if (now := new_table.column(col.name)) is None or now.type != col.type
        }
        if changed & row_filter_columns(spec):
            found.add(name)
    return found


def _schema_dropped(member: str, ctx: Context) -> bool:
    """A TABLES IN SCHEMA member whose schema the plan drops: it goes with the schema."""
    schema = member.removeprefix("TABLES IN SCHEMA ")
    return schema != member and ("schema", schema) in ctx.dropped


def _dropped(table: str, ctx: Context) -> bool:
    key = ("table", table)
    return key not in ctx.target.objects or key in ctx.dropped
