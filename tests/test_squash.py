"""`pgalign migration squash`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.alignment_helpers import status_json, write_envs
from tests.conftest import PgServer, query
from tests.helpers import cli, write_migration


def _files(project: Path) -> list[str]:
    return sorted(p.name for p in (project / "supabase" / "migrations").glob("*.sql"))


def test_squash_replaces_files_keeps_the_schema_and_rewrites_named_histories(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db_factory: PgServer
) -> None:
    staging = db_factory.create_database()
    write_envs(project_dir, db_factory, {"staging": staging})
    write_migration(
        project_dir, "1", "users", "create table public.users (id int primary key, email text);"
    )
    write_migration(
        project_dir, "2", "seed", "insert into public.users values (1, 'a@example.com');"
    )
    write_migration(project_dir, "3", "index", "create index users_email on public.users (email);")
    write_migration(project_dir, "4", "later", "alter table public.users add column name text;")
    assert cli(capsys, project_dir, "push", "--env", "staging").code == 0
    before = status_json(capsys, project_dir)["migrations"]["fingerprint"]

    result = cli(capsys, project_dir, "migration", "squash", "--version", "3", "--env", "staging")
    assert result.code == 0, result.err
    assert _files(project_dir) == ["3_index.sql", "4_later.sql"]
    assert "data statement not kept: 2_seed.sql:1: insert into public.users" in result.err
    assert "staging: history now records 3 in place of 3 migrations" in result.out
    report = status_json(capsys, project_dir)
    assert report["migrations"]["fingerprint"] == before
    assert report["aligned"] is True, report["problems"]
    assert query(
        staging, "select version from supabase_migrations.schema_migrations order by 1"
    ) == [("3",), ("4",)]


def test_squash_without_environments_prints_the_repair_commands(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db_factory: PgServer
) -> None:
    write_envs(project_dir, db_factory, {})
    write_migration(project_dir, "1", "a", "create table public.a (id int);")
    write_migration(project_dir, "2", "b", "create table public.b (id int);")
    result = cli(capsys, project_dir, "migration", "squash")
    assert result.code == 0, result.err
    assert "pgalign migration repair 1 --status reverted --env ENV" in result.out
    assert "pgalign migration repair 2 --status applied --env ENV" in result.out


def test_squash_of_a_single_migration_is_refused(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db_factory: PgServer
) -> None:
    write_envs(project_dir, db_factory, {})
    write_migration(project_dir, "1", "a", "create table public.a (id int);")
    result = cli(capsys, project_dir, "migration", "squash")
    assert result.code == 2 and "nothing to squash" in result.err
    assert _files(project_dir) == ["1_a.sql"]
