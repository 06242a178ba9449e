"""Sequences; OWNED BY is its own step, once both the sequence and the table exist."""

from __future__ import annotations

from pgalign.catalog.model import Key, Sequence, Table
from pgalign.diff import hazards
from pgalign.diff.common import Alteration, Context, comment, grants, owner
from pgalign.diff.plan import Statement


def _options(seq: Sequence) -> str:
    cycle = "CYCLE" if seq.cycle else "NO CYCLE"
    return (
        f"AS {seq.data_type} INCREMENT BY {seq.increment} MINVALUE {seq.minimum} "
        f"MAXVALUE {seq.maximum} START WITH {seq.start} CACHE {seq.cache} {cycle}"
    )


def owned_by(seq: Sequence) -> list[Statement]:
    target = "NONE" if seq.owned_by is None else f"{seq.owned_by[0]}.{seq.owned_by[1]}"
    after = frozenset({("sequence", seq.qualified)})
    if seq.owned_by is not None:
        after |= {("table", seq.owned_by[0])}
    return [
        Statement(
            f"ALTER SEQUENCE {seq.qualified} OWNED BY {target}",
            after=after,
            node=("owned_by", seq.qualified),
        )
    ]


def _owner_goes(owned_by: tuple[str, str], ctx: Context) -> bool:
    table_key: Key = ("table", owned_by[0])
    if table_key in ctx.dropped:
        return True
    table = ctx.target.objects.get(table_key)
    return isinstance(table, Table) and table.column(owned_by[1]) is None


class SequenceGenerator:
    def create(self, new: Sequence, ctx: Context) -> list[Statement]:
        unlogged = "UNLOGGED " if new.unlogged else ""
        out = [
            Statement(f"CREATE {unlogged}SEQUENCE {new.qualified} {_options(new)}"),
            *comment("SEQUENCE", new.qualified, None, new.comment),
            *grants(
                "SEQUENCE", new.qualified, None, new.privileges, ctx, new.owner, schema=new.schema
            ),
        ]
        if new.owned_by is not None:
            out += owned_by(new)
        return out

    def drop(self, old: Sequence, ctx: Context) -> list[Statement]:
        if old.owned_by is not None and _owner_goes(old.owned_by, ctx):
            return []  # dropped with its table or column
        return [
            Statement(
                f"DROP SEQUENCE {old.qualified}",
                (hazards.deletes_data(f"sequence {old.qualified} (its current value)"),),
            )
        ]

    def alter(self, old: Sequence, new: Sequence, ctx: Context) -> Alteration | None:
        out = []
        if _options(old) != _options(new):
            out.append(Statement(f"ALTER SEQUENCE {new.qualified} {_options(new)}"))
        if old.unlogged != new.unlogged:
            state = "UNLOGGED" if new.unlogged else "LOGGED"
            out.append(Statement(f"ALTER SEQUENCE {new.qualified} SET {state}"))
        if old.owned_by != new.owned_by:
            out += owned_by(new)
        return Alteration(
            create_phase=(
                *out,
                *owner("SEQUENCE", new.qualified, old.owner, new.owner, ctx),
                *comment("SEQUENCE", new.qualified, old.comment, new.comment),
                *grants("SEQUENCE", new.qualified, old.privileges, new.privileges, ctx, new.owner),
            )
        )
