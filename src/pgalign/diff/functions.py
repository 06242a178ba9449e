"""Functions, procedures and aggregates: CREATE OR REPLACE when the signature allows it."""

from __future__ import annotations

from pgalign.catalog.model import Function
from pgalign.diff import hazards
from pgalign.diff.common import Alteration, Context, comment, grants, owner
from pgalign.diff.plan import Hazard, Statement


def _grant_kind(fn: Function) -> str:
    return "PROCEDURE" if fn.kind == "p" else "FUNCTION"


def _hazards(fn: Function) -> tuple[Hazard, ...]:
    found = []
    if "SECURITY DEFINER" in fn.definition.split("AS ", 1)[0]:
        found.append(hazards.authz(f"{fn.qualified} runs with its owner's rights"))
    return tuple(found)


class FunctionGenerator:
    def create(self, new: Function, ctx: Context) -> list[Statement]:
        return [
            Statement(new.definition.strip(), _hazards(new)),
            *comment(new.sql_kind, new.qualified, None, new.comment),
            *grants(
                _grant_kind(new),
                new.qualified,
                None,
                new.privileges,
                ctx,
                new.owner,
                schema=new.schema,
            ),
        ]

    def drop(self, old: Function, ctx: Context) -> list[Statement]:
        found: tuple[Hazard, ...] = ()
        if old.kind != "a":
            found = (
                hazards.untracked(
                    f"function bodies that call {old.qualified} are not tracked by "
                    "PostgreSQL: check none is left"
                ),
            )
        return [Statement(f"DROP {old.sql_kind} {old.qualified}", found)]

    def alter(self, old: Function, new: Function, ctx: Context) -> Alteration | None:
        out: list[Statement] = []
        if old.definition != new.definition:
            same_shape = (old.kind, old.arguments, old.result) == (
                new.kind,
                new.arguments,
                new.result,
            )
            if not same_shape or new.kind == "a":
                return None
            out.append(Statement(new.definition.strip(), _hazards(new)))
        return Alteration(
            create_phase=(
                *out,
                *owner(new.sql_kind, new.qualified, old.owner, new.owner, ctx),
                *comment(new.sql_kind, new.qualified, old.comment, new.comment),
                *grants(
                    _grant_kind(new), new.qualified, old.privileges, new.privileges, ctx, new.owner
                ),
            )
        )
