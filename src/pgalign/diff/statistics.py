"""Extended statistics: rebuilt when their definition changes, else altered in place.

Like an index, a statistics object goes with its table's DROP and is rebuilt when a column
it uses is dropped. Unlike an index it is also dropped and created again around a column's
ALTER TYPE: PostgreSQL's own rebuild loses its statistics target (and, on 15, its owner).
"""

from __future__ import annotations

from pgalign.catalog.model import Statistics
from pgalign.diff.common import Alteration, Context, comment, owner
from pgalign.diff.constraints import _owner_dropped
from pgalign.diff.plan import Statement


def _made_of(stats: Statistics) -> tuple[object, ...]:
    """What CREATE STATISTICS says (its definition as printed also holds the columns'
    order in the table, which is not compared)."""
    return (stats.table, stats.kinds, stats.columns, stats.expressions)


def _target(old: int | None, new: Statistics) -> list[Statement]:
    if old == new.target:
        return []
    value = -1 if new.target is None else new.target  # -1: back to the default
    return [Statement(f"ALTER STATISTICS {new.qualified} SET STATISTICS {value}")]


class StatisticsGenerator:
    def create(self, new: Statistics, ctx: Context) -> list[Statement]:
        return [
            Statement(new.definition),
            *_target(None, new),
            *comment("STATISTICS", new.qualified, None, new.comment),
        ]

    def drop(self, old: Statistics, ctx: Context) -> list[Statement]:
        if _owner_dropped(old.table, ctx):
            return []
        return [Statement(f"DROP STATISTICS {old.qualified}")]

    def alter(self, old: Statistics, new: Statistics, ctx: Context) -> Alteration | None:
        if _made_of(old) != _made_of(new):
            return None
        return Alteration(
            create_phase=(
                *_target(old.target, new),
                *owner("STATISTICS", new.qualified, old.owner, new.owner, ctx),
                *comment("STATISTICS", new.qualified, old.comment, new.comment),
            )
        )
