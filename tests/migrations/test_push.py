"""`pgalign push` on real servers."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from pgalign.migrations.executor import PUSH_LOCK_KEY
from tests.conftest import PgServer, execute, query
from tests.helpers import cli, write_config, write_migration

CREATE = "create table users (id bigint primary key, email text);\n"


def _history(url: str) -> list[tuple[object, ...]]:
    return query(
        url,
        "select version, name, statements from supabase_migrations.schema_migrations order by version",
    )


def test_push_applies_pending_migrations_and_records_them_like_the_supabase_cli(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    write_migration(project_dir, "20240101000000", "init", "-- users\n" + CREATE)
    write_migration(
        project_dir, "20240102000000", "email_index", "create index users_email on users (email);"
    )
    result = cli(capsys, project_dir, "push", "--db-url", db)
    assert result.code == 0, result.err
    assert _history(db) == [
        (
            "20240101000000",
            "init",
            ["-- users\ncreate table users (id bigint primary key, email text)"],
        ),
        ("20240102000000", "email_index", ["create index users_email on users (email)"]),
    ]
    # The table has exactly the Supabase CLI's shape.
    columns = query(
        db,
        "select column_name, data_type, udt_name, is_nullable from information_schema.columns "
        "where table_schema = 'supabase_migrations' and table_name = 'schema_migrations' "
        "order by ordinal_position",
    )
    assert columns == [
        ("version", "text", "text", "NO"),
        ("statements", "ARRAY", "_text", "YES"),
        ("name", "text", "text", "YES"),
    ]
    assert query(db, "select to_regclass('supabase_migrations.seed_files') is not null") == [
        (True,)
    ]
    # Reading it back the way the Supabase CLI does.
    rows = query(
        db,
        "SELECT version, coalesce(name, '') as name, statements FROM supabase_migrations.schema_migrations",
    )
    assert len(rows) == 2
    assert query(db, "select count(*) from users") == [(0,)]
    again = cli(capsys, project_dir, "push", "--db-url", db)
    assert again.code == 0 and "nothing to push" in again.out


def test_push_works_on_a_history_table_created_by_the_supabase_cli(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    execute(
        db,
        "CREATE SCHEMA IF NOT EXISTS supabase_migrations;"
        "CREATE TABLE IF NOT EXISTS supabase_migrations.schema_migrations (version text NOT NULL PRIMARY KEY);"
        "ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS statements text[];"
        "ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS name text;"
        "INSERT INTO supabase_migrations.schema_migrations VALUES "
        "('20240101000000', '{\"create table users (id bigint primary key, email text)\"}', 'init');"
        "create table users (id bigint primary key, email text);",
    )
    write_migration(project_dir, "20240101000000", "init", CREATE)
    write_migration(
        project_dir, "20240102000000", "more", "alter table users add column name text;"
    )
    listed = cli(capsys, project_dir, "migration", "list", "--db-url", db, "--json")
    assert '"applied"' in listed.out and '"modified"' not in listed.out
    assert cli(capsys, project_dir, "push", "--db-url", db).code == 0
    assert [row[0] for row in _history(db)] == ["20240101000000", "20240102000000"]


def test_failing_statement_is_reported_with_file_line_and_nothing_of_it_stays(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    write_migration(project_dir, "1", "ok", CREATE)
    path = write_migration(
        project_dir,
        "2",
        "broken",
        "create table orders (id int);\n\ninsert into orders values (1);\nselect * from\n  no_such_table;\n",
    )
    result = cli(capsys, project_dir, "push", "--db-url", db)
    assert result.code == 2
    assert f"{path}:5: statement 3 failed" in result.err
    assert 'relation "no_such_table" does not exist' in result.err
    assert "nothing of this migration was applied" in result.err
    assert [row[0] for row in _history(db)] == ["1"]
    assert query(db, "select to_regclass('orders')") == [(None,)]


def test_non_transactional_statements_run_on_their_own(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    write_migration(
        project_dir,
        "1",
        "concurrently",
        CREATE + "BEGIN;\ncreate index concurrently users_email on users (email);\nCOMMIT;\n",
    )
    result = cli(capsys, project_dir, "push", "--db-url", db)
    assert result.code == 0, result.err
    assert query(
        db, "select indisvalid from pg_index where indexrelid = 'users_email'::regclass"
    ) == [(True,)]
    assert [row[0] for row in _history(db)] == ["1"]


def test_failure_after_a_non_transactional_statement_says_what_stays_committed(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    execute(db, CREATE)
    write_migration(
        project_dir,
        "1",
        "half",
        "create index concurrently users_email on users (email);\nselect 1/0;\n",
    )
    result = cli(capsys, project_dir, "push", "--db-url", db, "--force")  # users: made by hand
    assert result.code == 2
    assert (
        "statements 1 of this migration ran outside a transaction and stay committed" in result.err
    )
    assert query(db, "select to_regclass('supabase_migrations.schema_migrations') is not null") == [
        (True,)
    ]
    assert _history(db) == []


def test_push_refuses_missing_local_and_out_of_order_with_the_fix(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    write_migration(project_dir, "10", "a", "create table a (x int);")
    write_migration(project_dir, "30", "c", "create table c (x int);")
    assert cli(capsys, project_dir, "push", "--db-url", db).code == 0
    write_migration(project_dir, "20", "b", "create table b (x int);")  # a branch merged late
    (project_dir / "supabase" / "migrations" / "10_a.sql").unlink()  # archived
    refused = cli(capsys, project_dir, "push", "--db-url", db)
    assert refused.code == 2
    assert "missing_local 10" in refused.err and "pgalign migration fetch" in refused.err
    assert "out_of_order 20" in refused.err and "--include-all" in refused.err
    assert query(db, "select to_regclass('b')") == [(None,)]
    assert cli(capsys, project_dir, "migration", "fetch", "--db-url", db).code == 0
    assert cli(capsys, project_dir, "push", "--db-url", db).code == 2  # still out of order
    assert cli(capsys, project_dir, "push", "--db-url", db, "--include-all").code == 0
    assert [row[0] for row in _history(db)] == ["10", "20", "30"]
    assert query(db, "select to_regclass('b') is not null") == [(True,)]


def test_dry_run_changes_nothing(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    write_migration(project_dir, "1", "a", CREATE)
    result = cli(capsys, project_dir, "push", "--db-url", db, "--dry-run")
    assert result.code == 0
    assert "would apply 1 migration" in result.out and "create table users" in result.out
    assert query(db, "select to_regnamespace('supabase_migrations')") == [(None,)]


def test_protected_environment_needs_yes_without_a_terminal(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    write_config(project_dir, {"production": db}, protected=("production",))
    write_migration(project_dir, "1", "a", CREATE)
    refused = cli(capsys, project_dir, "push", "--env", "production")
    assert refused.code == 2 and "pass --yes" in refused.err
    assert query(db, "select to_regclass('users')") == [(None,)]
    assert cli(capsys, project_dir, "push", "--env", "production", "--yes").code == 0
    assert query(db, "select to_regclass('users') is not null") == [(True,)]


def test_a_second_push_stops_while_the_lock_is_held(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    write_migration(project_dir, "1", "a", CREATE)
    with psycopg.connect(db, autocommit=True) as other:
        other.execute("select pg_advisory_lock(%s)", (PUSH_LOCK_KEY,))
        blocked = cli(capsys, project_dir, "push", "--db-url", db)
    assert blocked.code == 2 and "another pgalign push is running" in blocked.err
    assert query(db, "select to_regclass('users')") == [(None,)]
    assert cli(capsys, project_dir, "push", "--db-url", db).code == 0


def test_lock_timeout_applies_to_migration_statements(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    execute(db, CREATE)
    write_migration(project_dir, "1", "a", "alter table users add column name text;")
    with psycopg.connect(db) as holder:
        holder.execute("lock table users in access share mode")
        result = cli(
            capsys, project_dir, "push", "--db-url", db, "--lock-timeout", "200ms", "--force"
        )
    assert result.code == 2 and "lock timeout" in result.err
    assert _history(db) == []


def test_empty_migration_is_refused(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    write_migration(project_dir, "1", "empty", "-- nothing here yet\n")
    result = cli(capsys, project_dir, "push", "--db-url", db)
    assert result.code == 2 and "has no SQL statements" in result.err
    assert query(db, "select to_regnamespace('supabase_migrations')") == [(None,)]


def test_pushes_to_both_servers_keep_passwords_out_of_output(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str, pg: PgServer
) -> None:
    write_migration(project_dir, "1", "a", "select 1/0;")
    result = cli(capsys, project_dir, "push", "--db-url", db)
    assert result.code == 2
    assert pg.password and pg.password not in result.out + result.err


def test_include_all_refuses_a_late_migration_that_needs_newer_ones(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    """A branch's migration keeps its old version but uses a table merged before it: pushed
    out of order it would succeed there, and no replay in version order would ever again."""
    write_migration(project_dir, "30", "c", "create table c (x int);")
    assert cli(capsys, project_dir, "push", "--db-url", db).code == 0
    late = write_migration(project_dir, "20", "b", "alter table c add column y int;")
    refused = cli(capsys, project_dir, "push", "--db-url", db, "--include-all", "--yes")
    assert refused.code == 2
    assert "cannot push 20 to" in refused.err and 'relation "c" does not exist' in refused.err
    assert [row[0] for row in _history(db)] == ["30"]
    assert query(db, "select count(*) from pg_attribute where attname = 'y'") == [(0,)]
    # The fix names the file's new name: after every migration, so no longer out of order.
    renamed = refused.err.split("rename it to ")[1].split(",")[0].split()[0]
    assert renamed.endswith("_b.sql") and int(renamed.split("_")[0]) > 30
    late.rename(late.with_name(renamed))
    pushed = cli(capsys, project_dir, "push", "--db-url", db, "--yes")
    assert pushed.code == 0, pushed.err
    assert "could not verify" not in pushed.err
    assert sorted(row[0] for row in _history(db)) == sorted(["30", renamed.split("_")[0]])
