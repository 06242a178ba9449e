"""Triggers and event triggers."""

from __future__ import annotations

from dataclasses import replace

from pgalign.catalog.model import EventTrigger, Trigger
from pgalign.diff.common import Alteration, Context, comment, copied_anew, owner
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
        out += clone_states(None, new, ctx)
        out += clone_comments(None, new, ctx)
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
        out += clone_states(old, new, ctx)
        out += clone_comments(old, new, ctx)
        return Alteration(
            create_phase=(*out, *comment("TRIGGER", _on(new), old.comment, new.comment))
        )


def clone_states(old: Trigger | None, new: Trigger, ctx: Context) -> list[Statement]:
    """The enabled state of the trigger's copies on partitions that differ from its own.
    The table's ENABLE/DISABLE TRIGGER recurses into every copy, and a new partition copies
    its parent's state: each partition that must differ is set alone (ONLY), once every
    partition exists."""
    if not new.clone_states and (old is None or not old.clone_states):
        return []
    parents = _partitions_under(new.table, ctx)
    want = dict(new.clone_states)
    had = dict(old.clone_states) if old is not None and old.enabled == new.enabled else {}

    def state_before(part: str) -> str:
        """Its copy's state once every partition exists (a recursing ENABLE or DISABLE, when
        there is one, comes after: `had` is then empty)."""
        if had and copied_anew(part, parents[part], ctx):  # its copy is made anew
            parent = parents[part]
            return new.enabled if parent == new.table else state_before(parent)
        return had.get(part, new.enabled)

    return [
        Statement(
            f"ALTER TABLE ONLY {part} {ENABLED[want.get(part, new.enabled)]} TRIGGER {new.name}",
            after=frozenset(("table", p) for p in parents),
        )
        for part in sorted(parents)
        if want.get(part, new.enabled) != state_before(part)
    ]


def clone_comments(old: Trigger | None, new: Trigger, ctx: Context) -> list[Statement]:
    """The comments of the trigger's copies on partitions, which a copy made anew (with
    the trigger, or with its partition) does not have."""
    if not new.clone_comments and (old is None or not old.clone_comments):
        return []
    parents = _partitions_under(new.table, ctx)
    after = frozenset(("table", p) for p in parents)
    want = dict(new.clone_comments)
    had = dict(old.clone_comments) if old is not None else {}
    out: list[Statement] = []
    for part in sorted(parents):
        was = None if copied_anew(part, new.table, ctx) else had.get(part)
        notes = comment("TRIGGER", f"{new.name} ON {part}", was, want.get(part))
        out += [replace(stmt, after=after) for stmt in notes]
    return out


def has_copies_of_its_own(trigger: Trigger) -> bool:
    """Whether copies of the trigger on partitions differ from it: in their enabled state,
    or by a comment."""
    return bool(trigger.clone_states or trigger.clone_comments)


def _partitions_under(table: str, ctx: Context) -> dict[str, str]:
    """Every partition of the table in the target, at any depth, with its parent."""
    found: dict[str, str] = {}
    todo = [table]
    while todo:
        parent = todo.pop()
        for child in ctx.target.children.get(parent, ()):
            if child.partition_of == parent:  # (not an heir)
                found[child.qualified] = parent
                todo.append(child.qualified)
    return found


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
