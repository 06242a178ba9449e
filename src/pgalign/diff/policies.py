"""Row level security policies: ALTER POLICY where PostgreSQL allows it."""

from __future__ import annotations

from pgalign.catalog.model import Policy
from pgalign.diff import hazards
from pgalign.diff.common import Alteration, Context, comment
from pgalign.diff.constraints import _owner_dropped
from pgalign.diff.plan import Hazard, Statement


def _on(policy: Policy) -> str:
    return f"{policy.name} ON {policy.table}"


def _why(policy: Policy) -> tuple[Hazard, ...]:
    return (hazards.authz(f"policy {policy.name} decides which rows of {policy.table} roles see"),)


def _clauses(policy: Policy) -> str:
    sql = f" TO {', '.join(policy.roles)}"
    if policy.using is not None:
        sql += f" USING ({policy.using})"
    if policy.with_check is not None:
        sql += f" WITH CHECK ({policy.with_check})"
    return sql


class PolicyGenerator:
    def create(self, new: Policy, ctx: Context) -> list[Statement]:
        kind = "PERMISSIVE" if new.permissive else "RESTRICTIVE"
        sql = f"CREATE POLICY {_on(new)} AS {kind} FOR {new.command}{_clauses(new)}"
        return [Statement(sql, _why(new)), *comment("POLICY", _on(new), None, new.comment)]

    def drop(self, old: Policy, ctx: Context) -> list[Statement]:
        if _owner_dropped(old.table, ctx):
            return []
        return [Statement(f"DROP POLICY {_on(old)}", _why(old))]

    def alter(self, old: Policy, new: Policy, ctx: Context) -> Alteration | None:
        if (old.permissive, old.command) != (new.permissive, new.command):
            return None
        if (old.using is not None and new.using is None) or (
            old.with_check is not None and new.with_check is None
        ):
            return None  # ALTER POLICY cannot remove a clause
        out = []
        if (old.roles, old.using, old.with_check) != (new.roles, new.using, new.with_check):
            out.append(Statement(f"ALTER POLICY {_on(new)}{_clauses(new)}", _why(new)))
        return Alteration(
            create_phase=(*out, *comment("POLICY", _on(new), old.comment, new.comment))
        )
