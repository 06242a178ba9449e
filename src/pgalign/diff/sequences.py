"""Sequences; OWNED BY is its own step, once both the sequence and the table exist."""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Set as AbstractSet

from pgalign.catalog.model import Catalog, Key, Sequence, Table
from pgalign.diff import hazards
from pgalign.diff.common import Alteration, Context, comment, grants, owner
from pgalign.diff.plan import Hazard, Statement
from pgalign.sql import dollar_quoted


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


def owners_let_go(
    source: Catalog, target: Catalog, dropped: AbstractSet[Key], columns: AbstractSet[Key]
) -> Iterator[tuple[Key, Statement, list[Statement]]]:
    """Sequences that stay while the table or column owning them is dropped (or replaced):
    its DROP would take them along, so they let go of it first (`OWNED BY NONE`). Each with
    its table, that statement, and its OWNED BY again when no alteration of its says it."""
    if not columns and not any(key[0] == "table" for key in dropped):
        return
    for key, old in source.objects.items():
        if type(old) is not Sequence or old.owned_by is None:
            continue
        table, column = old.owned_by
        new = target.objects.get(key)
        if not isinstance(new, Sequence) or not (
            ("table", table) in dropped or ("column", f"{table}.{column}") in columns
        ):
            continue
        again = owned_by(new) if new.owned_by == old.owned_by else []
        let_go = Statement(f"ALTER SEQUENCE {old.qualified} OWNED BY NONE")
        yield ("table", table), let_go, again


def _owner_goes(owned_by: tuple[str, str], ctx: Context) -> bool:
    table_key: Key = ("table", owned_by[0])
    if table_key in ctx.dropped:
        return True
    table = ctx.target.objects.get(table_key)
    return isinstance(table, Table) and table.column(owned_by[1]) is None


def _set_options(old: Sequence, new: Sequence) -> Statement:
    alter = f"ALTER SEQUENCE {new.qualified} {_options(new)}"
    if new.minimum <= old.minimum and new.maximum >= old.maximum:
        return Statement(alter)
    fetch = f"SELECT last_value INTO current FROM {new.qualified};"
    return restart_if_outside(alter, fetch, new.qualified, new.minimum, new.maximum, new.start)


def restart_if_outside(
    alter: str, fetch: str, what: str, minimum: int, maximum: int, start: int, *also: Hazard
) -> Statement:
    """`alter`, which narrows a sequence's range, with RESTART when the sequence's current
    value (read into `current` by `fetch`) falls outside: PostgreSQL refuses the range
    otherwise, and the sequence could not hand that value out any more anyway."""
    body = (
        f"\nDECLARE\n  current bigint;\nBEGIN\n  {fetch}\n"
        f"  IF current BETWEEN {minimum} AND {maximum} THEN\n"
        f"    {alter};\n  ELSE\n    {alter} RESTART;\n  END IF;\nEND\n"
    )
    why = (
        f"{what} restarts at {start} if its current value is outside {minimum}..{maximum};"
        " values it hands out again may clash with stored ones"
    )
    return Statement(f"DO {dollar_quoted(body)}", (Hazard(hazards.DELETES_DATA, why), *also))


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
            out.append(_set_options(old, new))
        if old.unlogged != new.unlogged:
            state = "UNLOGGED" if new.unlogged else "LOGGED"
            out.append(Statement(f"ALTER SEQUENCE {new.qualified} SET {state}"))
        let_go = new.owned_by is None and old.owned_by and _owner_goes(old.owned_by, ctx)
        if old.owned_by != new.owned_by and not let_go:  # (owners_let_go said NONE already)
            out += owned_by(new)
        return Alteration(
            create_phase=(
                *out,
                *owner("SEQUENCE", new.qualified, old.owner, new.owner, ctx),
                *comment("SEQUENCE", new.qualified, old.comment, new.comment),
                *grants("SEQUENCE", new.qualified, old.privileges, new.privileges, ctx, new.owner),
            )
        )
