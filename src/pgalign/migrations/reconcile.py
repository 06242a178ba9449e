"""Compare the migration directory with one environment's history."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pgalign.migrations.directory import MigrationDir, MigrationFile, version_key
from pgalign.migrations.history import AppliedMigration
from pgalign.migrations.statements import normalized_tree


class State(StrEnum):
    APPLIED = "applied"
    PENDING = "pending"
    MISSING_LOCAL = "missing_local"  # applied in the environment, no file here
    OUT_OF_ORDER = "out_of_order"  # file older than the newest applied version, not applied
    MODIFIED = "modified"  # file no longer matches the statements recorded when applied


@dataclass(frozen=True)
class Entry:
    version: str
    name: str | None
    file: MigrationFile | None
    applied: AppliedMigration | None
    state: State


@dataclass(frozen=True)
class Reconciliation:
    """Every version known to the directory or the history, in numeric order, with its state."""

    entries: list[Entry]

    def versions(self, state: State) -> list[str]:
        return [e.version for e in self.entries if e.state is state]

    @property
    def applied_count(self) -> int:
        return sum(1 for e in self.entries if e.applied is not None)

    def to_apply(self, include_all: bool) -> list[MigrationFile]:
        wanted = {State.PENDING, State.OUT_OF_ORDER} if include_all else {State.PENDING}
        return [e.file for e in self.entries if e.state in wanted and e.file is not None]


def reconcile(directory: MigrationDir, history: list[AppliedMigration] | None) -> Reconciliation:
    applied = {version_key(a.version): a for a in history or []}
    files = directory.by_key()
    newest_applied = max(applied, default=None)
    entries: list[Entry] = []
    for key in sorted(set(applied) | set(files)):
        file = files.get(key)
        row = applied.get(key)
        if file is None:
            assert row is not None
            entries.append(Entry(row.version, row.name, None, row, State.MISSING_LOCAL))
        elif row is None:
            late = newest_applied is not None and key < newest_applied
            state = State.OUT_OF_ORDER if late else State.PENDING
            entries.append(Entry(file.version, file.name, file, None, state))
        else:
            state = State.APPLIED if statements_match(file, row) else State.MODIFIED
            entries.append(Entry(file.version, file.name, file, row, state))
    return Reconciliation(entries)


def statements_match(file: MigrationFile, row: AppliedMigration) -> bool:
    """Whether the file still says what was recorded when it was applied.

    Compared by parse tree, so whitespace, comments and the way statements were split
    (by the Supabase CLI or by pgalign) do not count as a change. A row without
    recorded statements (written by an old CLI) cannot be checked and counts as a match.
    """
    if row.statements is None:
        return True
    recorded = list(row.statements)
    if recorded == file.recorded_statements():
        return True
    # A newline before each semicolon keeps it out of a trailing "-- comment".
    recorded_tree = normalized_tree("\n;\n".join(recorded))
    if recorded_tree is None:
        return False
    return recorded_tree == normalized_tree(file.read_text())
