"""Views and materialized views."""

from __future__ import annotations

from pgalign.catalog.model import NO_PRIVILEGES, View
from pgalign.diff import hazards
from pgalign.diff.common import (
    Alteration,
    Context,
    comment,
    grants,
    left_by_revokes,
    member_comments,
    option_changes,
    owner,
)
from pgalign.diff.constraints import cluster_on
from pgalign.diff.plan import Statement


def _kind(view: View) -> str:
    return "MATERIALIZED VIEW" if view.materialized else "VIEW"


def _body(view: View) -> str:
    return view.definition.strip().rstrip(";")


def _create(view: View, verb: str = "CREATE") -> str:
    options = f" WITH ({', '.join(view.options)})" if view.options else ""
    sql = f"{verb} {_kind(view)} {view.qualified}{options} AS\n{_body(view)}"
    if not view.materialized:
        return sql
    return sql + (" WITH DATA" if view.populated else " WITH NO DATA")


def _refresh(view: View) -> Statement:
    """REFRESH to the target's populated state: WITH NO DATA empties the materialized view,
    and it cannot be queried until refreshed again."""
    lock = hazards.exclusive_lock(view.qualified)
    if view.populated:
        return Statement(f"REFRESH MATERIALIZED VIEW {view.qualified}", (lock,))
    return Statement(
        f"REFRESH MATERIALIZED VIEW {view.qualified} WITH NO DATA",
        (hazards.emptied(view.qualified), lock),
    )


def _column_comments(old: View | None, new: View) -> list[Statement]:
    before = old.column_comments if old else ()
    return member_comments(
        "COLUMN", lambda column: f"{new.qualified}.{column}", before, new.column_comments
    )


def _column_defaults(old: View | None, new: View) -> list[Statement]:
    """SET or DROP DEFAULT (what an INSERT through the view gets) where it differs from
    old's; CREATE OR REPLACE keeps those of existing columns."""
    before, after = dict(old.column_defaults if old else ()), dict(new.column_defaults)
    out: list[Statement] = []
    for column in sorted(before.keys() | after.keys()):
        default = after.get(column)
        if default != before.get(column):
            action = "DROP DEFAULT" if default is None else f"SET DEFAULT {default}"
            out.append(Statement(f"ALTER VIEW {new.qualified} ALTER COLUMN {column} {action}"))
    return out


def _column_grants(old: View | None, new: View, ctx: Context) -> list[Statement]:
    """GRANT and REVOKE on the view's columns, said after the view's own (whose REVOKEs
    take its columns' too)."""
    before, after = dict(old.column_privileges if old else ()), dict(new.column_privileges)
    out: list[Statement] = []
    for column in sorted(before.keys() | after.keys()):
        was = before.get(column, NO_PRIVILEGES)
        was = left_by_revokes(was, old.privileges if old else None, new.privileges)
        now = after.get(column, NO_PRIVILEGES)
        out += grants("TABLE", new.qualified, was, now, ctx, new.owner, column)
    return out


class ViewGenerator:
    def create(self, new: View, ctx: Context) -> list[Statement]:
        return [
            Statement(_create(new)),
            *([cluster_on(new)] if new.cluster_index else []),
            *_column_defaults(None, new),
            *comment(_kind(new), new.qualified, None, new.comment),
            *_column_comments(None, new),
            *grants(
                "TABLE", new.qualified, None, new.privileges, ctx, new.owner, schema=new.schema
            ),
            *_column_grants(None, new, ctx),
        ]

    def drop(self, old: View, ctx: Context) -> list[Statement]:
        return [Statement(f"DROP {_kind(old)} {old.qualified}")]

    def alter(self, old: View, new: View, ctx: Context) -> Alteration | None:
        if old.materialized != new.materialized:
            return None
        out: list[Statement] = []
        if old.definition != new.definition:
            # CREATE OR REPLACE keeps dependents, but only when existing columns stay as they are.
            if new.materialized or new.columns[: len(old.columns)] != old.columns:
                return None
            out.append(Statement(_create(new, "CREATE OR REPLACE")))
        else:
            out += option_changes(f"ALTER {_kind(new)} {new.qualified}", old.options, new.options)
        if old.populated != new.populated:
            out.append(_refresh(new))
        if old.cluster_index != new.cluster_index:
            out.append(cluster_on(new))
        out += _column_defaults(old, new)
        return Alteration(
            create_phase=(
                *out,
                *owner(_kind(new), new.qualified, old.owner, new.owner, ctx),
                *comment(_kind(new), new.qualified, old.comment, new.comment),
                *_column_comments(old, new),
                *grants("TABLE", new.qualified, old.privileges, new.privileges, ctx, new.owner),
                *_column_grants(old, new, ctx),
            )
        )
