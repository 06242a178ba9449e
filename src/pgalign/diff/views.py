"""Views and materialized views."""

from __future__ import annotations

from pgalign.catalog.model import View
from pgalign.diff.common import Alteration, Context, comment, grants, member_comments, owner
from pgalign.diff.plan import Statement


def _kind(view: View) -> str:
    return "MATERIALIZED VIEW" if view.materialized else "VIEW"


def _body(view: View) -> str:
    return view.definition.strip().rstrip(";")


def _create(view: View, verb: str = "CREATE") -> str:
    options = f" WITH ({', '.join(view.options)})" if view.options else ""
    sql = f"{verb} {_kind(view)} {view.qualified}{options} AS\n{_body(view)}"
    return sql + " WITH DATA" if view.materialized else sql


def _column_comments(old: View | None, new: View) -> list[Statement]:
    before = old.column_comments if old else ()
    return member_comments(
        "COLUMN", lambda column: f"{new.qualified}.{column}", before, new.column_comments
    )


class ViewGenerator:
    def create(self, new: View, ctx: Context) -> list[Statement]:
        return [
            Statement(_create(new)),
            *comment(_kind(new), new.qualified, None, new.comment),
            *_column_comments(None, new),
            *grants(
                "TABLE", new.qualified, None, new.privileges, ctx, new.owner, schema=new.schema
            ),
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
        elif old.options != new.options:
            removed = [o.split("=", 1)[0] for o in old.options if o not in new.options]
            added = [o for o in new.options if o not in old.options]
            kind = _kind(new)
            if removed:
                out.append(Statement(f"ALTER {kind} {new.qualified} RESET ({', '.join(removed)})"))
            if added:
                out.append(Statement(f"ALTER {kind} {new.qualified} SET ({', '.join(added)})"))
        return Alteration(
            create_phase=(
                *out,
                *owner(_kind(new), new.qualified, old.owner, new.owner, ctx),
                *comment(_kind(new), new.qualified, old.comment, new.comment),
                *_column_comments(old, new),
                *grants("TABLE", new.qualified, old.privileges, new.privileges, ctx, new.owner),
            )
        )
