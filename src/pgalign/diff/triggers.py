"""Triggers and event triggers."""

from __future__ import annotations

from pgalign.catalog.model import EventTrigger, Trigger
from pgalign.diff.common import Alteration, Context, comment, owner
from pgalign.diff.constraints import _owner_dropped
from pgalign.diff.plan import Statement
from pgalign.sql import literal

ENABLED = {"O": "ENABLE", "D": "DISABLE", "R": "ENABLE REPLICA", "A": "ENABLE ALWAYS"}


def _on(trigger: Trigger) -> str:
    return f"{trigger.name} ON {trigger.table}"


class TriggerGenerator:
    def create(self, new: Trigger, ctx: Context) -> list[Statement]:
        out = [Statement(new.definition)]
        if new.enabled != "O":
            out.append(
                Statement(f"ALTER TABLE {new.table} {ENABLED[new.enabled]} TRIGGER {new.name}")
            )
        return out + comment("TRIGGER", _on(new), None, new.comment)

    def drop(self, old: Trigger, ctx: Context) -> list[Statement]:
        if _owner_dropped(old.table, ctx):
            return []
        return [Statement(f"DROP TRIGGER {_on(old)}")]

    def alter(self, old: Trigger, new: Trigger, ctx: Context) -> Alteration | None:
        if old.definition != new.definition:
            return None
        out = []
        if old.enabled != new.enabled:
            out.append(
                Statement(f"ALTER TABLE {new.table} {ENABLED[new.enabled]} TRIGGER {new.name}")
            )
        return Alteration(
            create_phase=(*out, *comment("TRIGGER", _on(new), old.comment, new.comment))
        )


class EventTriggerGenerator:
    def create(self, new: EventTrigger, ctx: Context) -> list[Statement]:
        sql = f"CREATE EVENT TRIGGER {new.name} ON {new.event}"
        if new.tags:
            sql += f" WHEN TAG IN ({', '.join(literal(tag) for tag in new.tags)})"
        sql += f" EXECUTE FUNCTION {new.function}()"
        out = [Statement(sql)]
        if new.enabled != "O":
            out.append(Statement(f"ALTER EVENT TRIGGER {new.name} {ENABLED[new.enabled]}"))
        return out + comment("EVENT TRIGGER", new.name, None, new.comment)

    def drop(self, old: EventTrigger, ctx: Context) -> list[Statement]:
        return [Statement(f"DROP EVENT TRIGGER {old.name}")]

    def alter(self, old: EventTrigger, new: EventTrigger, ctx: Context) -> Alteration | None:
        if (old.event, old.function, old.tags) != (new.event, new.function, new.tags):
            return None
        out = []
        if old.enabled != new.enabled:
            out.append(Statement(f"ALTER EVENT TRIGGER {new.name} {ENABLED[new.enabled]}"))
        return Alteration(
            create_phase=(
                *out,
                *owner("EVENT TRIGGER", new.name, old.owner, new.owner, ctx),
                *comment("EVENT TRIGGER", new.name, old.comment, new.comment),
            )
        )
