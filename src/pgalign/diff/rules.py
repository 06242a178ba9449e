"""Rewrite rules (CREATE RULE) on tables and views."""

from __future__ import annotations

from pgalign.catalog.model import Rule
from pgalign.diff.common import Alteration, Context, comment
from pgalign.diff.constraints import _owner_dropped
from pgalign.diff.plan import Statement
from pgalign.diff.triggers import ENABLED


def _on(rule: Rule) -> str:
    return f"{rule.name} ON {rule.table}"


def _enable(rule: Rule) -> list[Statement]:
    # ALTER TABLE takes a view's rules too
    return [Statement(f"ALTER TABLE {rule.table} {ENABLED[rule.enabled]} RULE {rule.name}")]


class RuleGenerator:
    def create(self, new: Rule, ctx: Context) -> list[Statement]:
        out = [Statement(new.definition.strip().rstrip(";"))]
        if new.enabled != "O":
            out += _enable(new)
        return out + comment("RULE", _on(new), None, new.comment)

    def drop(self, old: Rule, ctx: Context) -> list[Statement]:
        if _owner_dropped(old.table, ctx):
            return []
        return [Statement(f"DROP RULE {_on(old)}")]

    def alter(self, old: Rule, new: Rule, ctx: Context) -> Alteration | None:
        if old.definition != new.definition:
            return None
        out = _enable(new) if old.enabled != new.enabled else []
        return Alteration(create_phase=(*out, *comment("RULE", _on(new), old.comment, new.comment)))
