"""A plan: the ordered statements that turn one schema into another, with their hazards."""

from __future__ import annotations

from dataclasses import field
from typing import Any

from pgalign.catalog.model import Key
from pgalign.record import Record, record

COMMIT_FIRST_NOTE = (
    "-- pgalign: commit the statements above before running the ones below: new enum "
    "labels cannot be used in the transaction that adds them"
)


@record
class Hazard(Record):
    """Something a person should know before running a statement."""

    kind: str  # deletes_data, rewrites_table, access_exclusive_lock, blocks_writes, ...
    why: str


@record
class Statement(Record):
    sql: str
    hazards: tuple[Hazard, ...] = ()
    # Extra objects that must exist before this statement, beyond its object's own.
    after: frozenset[Key] = field(default=frozenset(), compare=False)
    # The ordering node, when not the object the statement belongs to.
    node: Key | None = field(default=None, compare=False)
    # Must be committed before the rest of the plan runs (ALTER TYPE ... ADD VALUE: a new
    # enum label cannot be used in the transaction that adds it).
    commit_first: bool = False


@record
class Change(Record):
    """One object that differs: what it is and what the plan does to it."""

    kind: str
    name: str
    action: str  # create, drop, alter, replace

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "name": self.name, "action": self.action}


@record
class Plan(Record):
    statements: tuple[Statement, ...]
    changes: tuple[Change, ...]

    def __bool__(self) -> bool:
        return bool(self.statements)

    @property
    def hazards(self) -> list[Hazard]:
        return [hazard for stmt in self.statements for hazard in stmt.hazards]

    @property
    def first_transaction(self) -> tuple[Statement, ...]:
        """Statements to run and commit before the others (they come first in the plan)."""
        return tuple(stmt for stmt in self.statements if stmt.commit_first)

    @property
    def main_transaction(self) -> tuple[Statement, ...]:
        return tuple(stmt for stmt in self.statements if not stmt.commit_first)

    def sql(self) -> str:
        """The plan as a script; each hazardous statement preceded by `-- hazard:` lines."""
        lines: list[str] = []
        first = self.first_transaction
        for index, stmt in enumerate(self.statements):
            if first and index == len(first):
                lines.append(COMMIT_FIRST_NOTE)
                lines.append("")
            for hazard in stmt.hazards:
                lines.append(f"-- hazard: {hazard.kind}: {hazard.why}")
            lines.append(f"{stmt.sql};")
            lines.append("")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "statements": [_statement_dict(stmt) for stmt in self.statements],
            "changes": [change.as_dict() for change in self.changes],
        }


def _statement_dict(stmt: Statement) -> dict[str, Any]:
    found: dict[str, Any] = {
        "sql": stmt.sql,
        "hazards": [{"kind": h.kind, "why": h.why} for h in stmt.hazards],
    }
    if stmt.commit_first:
        found["commit_first"] = True  # run and commit before the statements without it
    return found
