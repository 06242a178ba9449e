"""Write migrations recorded in an environment's history back to files."""

from __future__ import annotations

from pathlib import Path

from pglast import parser

from pgalign.connect import connect, read_only
from pgalign.migrations.directory import MigrationDir
from pgalign.migrations.history import AppliedMigration, read_history
from pgalign.migrations.reconcile import State, reconcile

FALLBACK_NAME = "fetched"


def render_statements(statements: tuple[str, ...]) -> str:
    """Statements as a migration file.

    A statement that ends in a line comment gets its semicolon on a line of its own.
    """
    parts = []
    for text in statements:
        tokens = parser.scan(text)
        ends_in_comment = bool(tokens) and tokens[-1].name == "SQL_COMMENT"
        parts.append(text + ("\n;" if ends_in_comment else ";"))
    return "\n\n".join(parts) + "\n"


def fetch_missing(
    url: str, directory: MigrationDir, overwrite: bool
) -> tuple[list[Path], list[str]]:
    """Write missing_local versions (and modified ones with `overwrite`) from recorded statements.

    Returns the files written and a note for each version that could not be fetched.
    """
    with connect(url, application_name="pgalign fetch") as conn, read_only(conn):
        history = read_history(conn)
    result = reconcile(directory, history)
    wanted = {State.MISSING_LOCAL, State.MODIFIED} if overwrite else {State.MISSING_LOCAL}
    written: list[Path] = []
    skipped: list[str] = []
    for entry in result.entries:
        if entry.state not in wanted or entry.applied is None:
            continue
        row: AppliedMigration = entry.applied
        if row.statements is None:
            skipped.append(
                f"version {row.version} was recorded without its statements; it cannot be fetched"
            )
            continue
        path = (
            entry.file.path
            if entry.file
            else directory.path / f"{row.version}_{row.name or FALLBACK_NAME}.sql"
        )
        directory.path.mkdir(parents=True, exist_ok=True)
        path.write_text(render_statements(row.statements), encoding="utf-8")
        written.append(path)
    return written, skipped
