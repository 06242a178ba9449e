"""`pgalign db reset`: drop the user's schemas and rebuild them from migrations and seed.

Platform schemas (auth, storage, extensions, ...) stay; user policies and triggers on
their tables go, since migrations create them again. When every statement can run in a
transaction the whole reset is one transaction: it happens entirely or not at all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pgalign.bootstrap import supabase_bootstrap, supabase_roles
from pgalign.catalog.scope import Scope
from pgalign.config import Project
from pgalign.connect import Conn, connect
from pgalign.migrations.directory import MigrationFile, version_key
from pgalign.migrations.executor import apply_migration, executable
from pgalign.migrations.history import HISTORY_SCHEMA, ensure_history_table
from pgalign.migrations.statements import split_sql
from pgalign.sql import ident
from pgalign.targets import Target

Progress = Callable[[str], None]
# The schemas pgalign's Supabase bootstrap creates (see bootstrap/supabase_platform.sql).
PLATFORM_STAND_INS = frozenset({"auth", "storage", "extensions"})

_USER_SCHEMAS = """
SELECT nspname FROM pg_namespace
WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'
"""
_HOOKS = """
SELECT 'policy', pol.polname, n.nspname, c.relname
FROM pg_policy pol
JOIN pg_class c ON c.oid = pol.polrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY(%(schemas)s)
UNION ALL
SELECT 'trigger', t.tgname, n.nspname, c.relname
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace pn ON pn.oid = p.pronamespace
WHERE n.nspname = ANY(%(schemas)s) AND NOT t.tgisinternal AND NOT (pn.nspname = ANY(%(schemas)s))
"""


@dataclass(frozen=True)
class ResetResult:
    dropped_schemas: list[str]
    applied: list[MigrationFile]
    seeded: bool
    atomic: bool


def reset(
    project: Project,
    target: Target,
    migrations: Sequence[MigrationFile],
    seed: Path | None,
    progress: Progress | None = None,
    rebuild_platform: bool = False,
) -> ResetResult:
    """`rebuild_platform`: also rebuild the platform stand-ins (the local embedded database
    of a Supabase project, whose auth and storage are pgalign's own), data included, as
    `supabase db reset` does; never on a real platform's database."""
    say = progress or (lambda _message: None)
    atomic = all(s.transactional for m in migrations for s in executable(m))
    with connect(target.url, autocommit=True, application_name="pgalign reset") as conn:
        if atomic:
            with conn.transaction():
                return _reset(
                    conn, project, target, migrations, seed, say, atomic, rebuild_platform
                )
        return _reset(conn, project, target, migrations, seed, say, atomic, rebuild_platform)


def _reset(
    conn: Conn,
    project: Project,
    target: Target,
    migrations: Sequence[MigrationFile],
    seed: Path | None,
    say: Progress,
    atomic: bool,
    rebuild_platform: bool,
) -> ResetResult:
    scope = Scope()
    schemas = [str(r[0]) for r in conn.execute(_USER_SCHEMAS).fetchall()]
    platform = PLATFORM_STAND_INS if rebuild_platform else frozenset()
    doomed = sorted(s for s in schemas if scope.includes(s) or s == HISTORY_SCHEMA or s in platform)
    kept = [s for s in schemas if s not in doomed]
    with conn.transaction():
        for kind, name, schema, table in conn.execute(_HOOKS, {"schemas": kept}).fetchall():
            conn.execute(f"DROP {kind.upper()} IF EXISTS {ident(name)} ON {ident(schema, table)}")
        for schema in doomed:
            conn.execute(f"DROP SCHEMA {ident(schema)} CASCADE")
        conn.execute("CREATE SCHEMA public AUTHORIZATION pg_database_owner")
        conn.execute("GRANT USAGE ON SCHEMA public TO PUBLIC")
        conn.execute("COMMENT ON SCHEMA public IS 'standard public schema'")
        if rebuild_platform:
            from pgalign.expected import project_bootstrap

            conn.execute(project_bootstrap(project) or supabase_bootstrap())
        elif project.is_supabase:
            conn.execute(supabase_roles())
        ensure_history_table(conn)
    say(f"dropped {', '.join(doomed)}")
    for migration in migrations:
        say(f"applying {migration.path.name}")
        apply_migration(conn, migration, target.url)
    seeded = False
    if seed is not None:
        say(f"seeding from {seed.name}")
        _seed(conn, project, seed)
        seeded = True
    return ResetResult(doomed, list(migrations), seeded, atomic)


def _seed(conn: Conn, project: Project, seed: Path) -> None:
    data = seed.read_bytes()
    text = data.decode("utf-8")
    statements = split_sql(text, seed)
    relative = (
        str(seed.relative_to(project.root)) if seed.is_relative_to(project.root) else str(seed)
    )
    with conn.transaction():
        for statement in statements:
            conn.execute(statement.text)
        conn.execute(
            "INSERT INTO supabase_migrations.seed_files (path, hash) VALUES (%s, %s) "
            "ON CONFLICT (path) DO UPDATE SET hash = EXCLUDED.hash",
            (relative, hashlib.sha256(data).hexdigest()),
        )


def migrations_up_to(files: Sequence[MigrationFile], version: str | None) -> list[MigrationFile]:
    if version is None:
        return list(files)
    return [f for f in files if version_key(f.version) <= version_key(version)]
