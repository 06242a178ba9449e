"""Rewrite history rows without running migrations (Supabase's `migration repair`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from pgalign.connect import connect
from pgalign.errors import MigrationFileError
from pgalign.migrations.directory import MigrationDir, version_key
from pgalign.migrations.history import (
    delete_versions,
    ensure_history_table,
    read_history,
    record_applied,
)


@dataclass
class RepairOutcome:
    changed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def repair(url: str, directory: MigrationDir, versions: list[str], applied: bool) -> RepairOutcome:
    """Mark `versions` applied (with the files' statements) or reverted, in one transaction."""
    outcome = RepairOutcome()
    files = [directory.get(v) for v in versions]
    if applied:
        for version, file in zip(versions, files, strict=True):
            if file is None:
                raise MigrationFileError(
                    f"no migration file for version {version} in {directory.path}",
                    "fetch it first (`pgalign migration fetch`) or check the version",
                )
            file.recorded_statements()  # parse now: a broken file fails before any write
    with connect(url, application_name="pgalign repair") as conn, conn.transaction():
        if applied:
            ensure_history_table(conn)
            for file in files:
                assert file is not None
                record_applied(conn, file.version, file.name, file.recorded_statements())
                outcome.changed.append(file.version)
            return outcome
        recorded = {version_key(a.version): a.version for a in read_history(conn) or []}
        doomed = []
        for version in versions:
            stored = recorded.get(version_key(version))
            if stored is None:
                outcome.notes.append(
                    f"version {version} is not recorded as applied; nothing to revert"
                )
            else:
                doomed.append(stored)
        if doomed:
            delete_versions(conn, doomed)
            outcome.changed.extend(doomed)
    return outcome
