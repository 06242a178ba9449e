"""Push is guarded: drift refuses it, a backup comes first, the result is verified."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import execute, query
from tests.helpers import cli, write_migration

INIT = "create table public.users (id bigint primary key, email text);"


def _pushed(capsys: pytest.CaptureFixture[str], project: Path, db: str) -> None:
    write_migration(project, "1", "init", INIT)
    assert cli(capsys, project, "push", "--db-url", db, "--no-backup").code == 0


def test_push_refuses_a_drifted_environment_and_names_pull(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    _pushed(capsys, project_dir, db)
    execute(db, "create index users_email on public.users (email)")
    write_migration(project_dir, "2", "name", "alter table public.users add column name text;")
    refused = cli(capsys, project_dir, "push", "--db-url", db)
    assert refused.code == 2
    assert "it has 1 schema change(s) made outside migrations" in refused.err
    assert "pgalign pull" in refused.err and "added index public.users_email" in refused.err
    assert query(
        db,
        "select count(*) from information_schema.columns where table_name = 'users' and column_name = 'name'",
    ) == [(0,)]
    forced = cli(capsys, project_dir, "push", "--db-url", db, "--force", "--no-backup")
    assert forced.code == 0 and "pushing anyway (--force)" in forced.err


def test_push_writes_a_backup_before_applying(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    _pushed(capsys, project_dir, db)
    write_migration(project_dir, "2", "drop_email", "alter table public.users drop column email;")
    result = cli(capsys, project_dir, "push", "--db-url", db)
    assert result.code == 0, result.err
    (backup,) = (project_dir / ".pgalign" / "backups").glob("*.sql")
    assert f"backup: {backup}" in result.err
    text = backup.read_text()
    assert "CREATE TABLE public.users" in text and "email text" in text  # as it was before
    assert backup.name.startswith("db-url-")
    assert "COPY supabase_migrations.schema_migrations" in text and "\tinit\n" in text
    assert "s3cret" not in text


def test_dry_run_shows_lint_findings_per_statement(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    _pushed(capsys, project_dir, db)
    write_migration(
        project_dir,
        "2",
        "risky",
        "alter table public.users drop column email;\ncreate index users_id on public.users (id);",
    )
    result = cli(capsys, project_dir, "push", "--db-url", db, "--dry-run")
    assert result.code == 0, result.err
    assert "error: ban-drop-column" in result.out
    assert "warning: require-concurrent-index-creation" in result.out
    assert query(db, "select count(*) from supabase_migrations.schema_migrations") == [(1,)]


def test_a_push_whose_result_differs_from_the_replay_is_a_failure(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    _pushed(capsys, project_dir, db)
    execute(db, "insert into public.users values (1, 'a@example.com')")
    # Depends on data: creates a table on the target, not in the (empty) shadow.
    write_migration(
        project_dir,
        "2",
        "data_dependent",
        "do $$ begin if exists (select 1 from public.users) then "
        "create table public.only_with_data (x int); end if; end $$;",
    )
    result = cli(capsys, project_dir, "push", "--db-url", db, "--no-backup")
    assert result.code == 2
    assert "does not match its migrations after the push" in result.err
    assert "added table public.only_with_data" in result.err


def test_push_shows_lint_findings_for_what_it_applies(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    _pushed(capsys, project_dir, db)
    write_migration(project_dir, "2", "index", "create index users_email on public.users (email);")
    result = cli(capsys, project_dir, "push", "--db-url", db, "--no-backup")
    assert result.code == 0, result.err
    assert "2_index.sql:1: warning: require-concurrent-index-creation" in result.err
