"""Faults on real servers: killed connections, concurrent pushes, read-only roles."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest
from psycopg import conninfo

from tests.conftest import PgServer, execute, query
from tests.helpers import cli, write_migration

SLOW = "create table public.slow (x int);\nselect pg_sleep({seconds});\ninsert into public.slow values (1);\n"


def _history(url: str) -> list[tuple[object, ...]]:
    return query(url, "select version from supabase_migrations.schema_migrations order by 1")


def _kill_when_sleeping(admin: str, deadline_s: float = 20) -> None:
    """Terminate the push's backend once it runs pg_sleep (from another session)."""
    end = time.monotonic() + deadline_s
    with psycopg.connect(admin, autocommit=True) as conn:
        while time.monotonic() < end:
            row = conn.execute(
                "select pid from pg_stat_activity where application_name = 'pgalign push' "
                "and query like '%%pg_sleep%%' and state = 'active'"
            ).fetchone()
            if row:
                conn.execute("select pg_terminate_backend(%s)", (row[0],))
                return
            time.sleep(0.05)


def test_a_push_killed_mid_migration_leaves_nothing_half_done_and_a_rerun_finishes(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str, pg: PgServer
) -> None:
    write_migration(project_dir, "1", "first", "create table public.first (x int);")
    write_migration(project_dir, "2", "slow", SLOW.format(seconds=30))
    killer = threading.Thread(target=_kill_when_sleeping, args=(pg.admin_url,))
    killer.start()
    killed = cli(capsys, project_dir, "push", "--db-url", db, "--no-backup")
    killer.join()
    assert killed.code == 2
    assert "2_slow.sql:2: statement 2 failed" in killed.err
    assert "nothing of this migration was applied" in killed.err
    assert _history(db) == [("1",)]  # the first migration committed, the killed one did not
    assert query(db, "select to_regclass('public.slow')") == [(None,)]
    write_migration(project_dir, "2", "slow", SLOW.format(seconds=0))  # the rerun is quick
    rerun = cli(capsys, project_dir, "push", "--db-url", db, "--no-backup")
    assert rerun.code == 0, rerun.err
    assert _history(db) == [("1",), ("2",)]
    assert query(db, "select x from public.slow") == [(1,)]


def test_two_pushes_at_once_apply_each_migration_once(project_dir: Path, db: str) -> None:
    write_migration(project_dir, "1", "slow", SLOW.format(seconds=2))
    env = {**os.environ, "NO_COLOR": "1"}
    command = [
        sys.executable,
        "-m",
        "pgalign",
        "--workdir",
        str(project_dir),
        "push",
        "--db-url",
        db,
        "--no-backup",
    ]
    first = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    time.sleep(0.3)
    second = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    results = [(p.wait(60), p.communicate()) for p in (first, second)]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 2], results
    loser_err = next(err for code, (_, err) in results if code == 2)
    assert "another pgalign push is running" in loser_err
    assert _history(db) == [("1",)]
    assert query(db, "select count(*) from public.slow") == [(1,)]


def test_a_read_only_role_cannot_push_and_gets_one_clear_line(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    execute(
        db,
        "do $$ begin if not exists (select 1 from pg_roles where rolname = 'pgalign_reader') then "
        "create role pgalign_reader login password 'reader-pw'; end if; end $$;"
        "revoke create on schema public from public;",
    )
    execute(
        db,
        "grant connect on database "
        + conninfo.conninfo_to_dict(db)["dbname"]
        + " to pgalign_reader",
    )  # type: ignore[operator]
    reader = conninfo.make_conninfo(db, user="pgalign_reader", password="reader-pw")
    write_migration(project_dir, "1", "a", "create table public.a (x int);")
    result = cli(capsys, project_dir, "push", "--db-url", reader, "--no-backup")
    assert result.code == 2
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(
        "error: role pgalign_reader cannot create the migration history table"
    )
    assert "reader-pw" not in result.err
    assert query(db, "select to_regnamespace('supabase_migrations')") == [(None,)]
    assert query(db, "select to_regclass('public.a')") == [(None,)]


def test_status_and_diff_never_write(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    """On a database that refuses every write, status and diff still work."""
    write_migration(project_dir, "1", "a", "create table public.a (x int primary key, y text);")
    assert cli(capsys, project_dir, "push", "--db-url", db, "--no-backup").code == 0
    execute(db, "create index a_y on public.a (y)")  # drift, so status diffs too
    dbname = conninfo.conninfo_to_dict(db)["dbname"]
    execute(db, f"alter database {dbname} set default_transaction_read_only = on")
    before = query(db, "select count(*), max(xmin::text::bigint) from pg_class")
    (project_dir / "pgalign.toml").write_text(
        f'supabase = false\n[environments.ro]\nurl = "{db}"\n'
    )
    status = cli(capsys, project_dir, "status", "--format", "json")
    assert status.code == 0, status.err
    assert '"drifted": true' in status.out
    diff = cli(capsys, project_dir, "diff", "empty", "ro")
    assert diff.code == 1 and "CREATE TABLE public.a" in diff.out
    assert query(db, "select count(*), max(xmin::text::bigint) from pg_class") == before
