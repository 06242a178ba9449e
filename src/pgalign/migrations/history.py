"""The history table the Supabase CLI uses: supabase_migrations.schema_migrations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pgalign.connect import Conn

HISTORY_SCHEMA = "supabase_migrations"
HISTORY_TABLE = "supabase_migrations.schema_migrations"

# The same statements the Supabase CLI runs, so either tool may create the table first.
_CREATE = (
    "CREATE SCHEMA IF NOT EXISTS supabase_migrations",
    "CREATE TABLE IF NOT EXISTS supabase_migrations.schema_migrations "
    "(version text NOT NULL PRIMARY KEY)",
    "ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS statements text[]",
    "ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS name text",
    "CREATE TABLE IF NOT EXISTS supabase_migrations.seed_files "
    "(path text NOT NULL PRIMARY KEY, hash text NOT NULL)",
)
_COLUMNS = """
SELECT coalesce(array_agg(attname::text), '{}')
FROM pg_attribute
WHERE attrelid = to_regclass('supabase_migrations.schema_migrations')
  AND attnum > 0 AND NOT attisdropped
"""

Connection = Conn


@dataclass(frozen=True)
class AppliedMigration:
    version: str
    name: str | None
    statements: tuple[str, ...] | None  # None where the row predates the statements column


def read_history(conn: Connection) -> list[AppliedMigration] | None:
    """The recorded migrations, or None when the history table does not exist."""
    row = conn.execute(_COLUMNS).fetchone()
    columns = set(row[0]) if row else set()
    if "version" not in columns:
        return None
    name = "name" if "name" in columns else "NULL::text"
    statements = "statements" if "statements" in columns else "NULL::text[]"
    rows = conn.execute(f"SELECT version, {name}, {statements} FROM {HISTORY_TABLE}").fetchall()
    return [
        AppliedMigration(
            str(version),
            None if n is None else str(n),
            None if s is None else tuple(s),
        )
        for version, n, s in rows
    ]


def ensure_history_table(conn: Connection) -> None:
    for statement in _CREATE:
        conn.execute(statement)


def record_applied(conn: Connection, version: str, name: str, statements: Sequence[str]) -> None:
    conn.execute(
        f"INSERT INTO {HISTORY_TABLE} (version, name, statements) VALUES (%s, %s, %s) "
        "ON CONFLICT (version) DO UPDATE"
        " SET name = EXCLUDED.name, statements = EXCLUDED.statements",
        (version, name, list(statements)),
    )


def delete_versions(conn: Connection, versions: Sequence[str]) -> int:
    cursor = conn.execute(f"DELETE FROM {HISTORY_TABLE} WHERE version = ANY(%s)", (list(versions),))
    return cursor.rowcount
