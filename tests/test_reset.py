"""`pgalign db reset`."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgalign.bootstrap import supabase_bootstrap
from pgalign.config import load_project
from pgalign.targets import local_cluster
from tests.conftest import execute, query
from tests.helpers import cli, write_migration

PROFILES = """
create table public.profiles (id uuid primary key references auth.users (id), name text);
create policy "own avatar" on storage.objects for select to authenticated using (owner = auth.uid());
"""


def _supabase_db(db: str) -> None:
    execute(db, supabase_bootstrap())


def test_reset_rebuilds_user_schemas_keeps_platform_and_seeds(
    capsys: pytest.CaptureFixture[str], supabase_project: Path, db: str
) -> None:
    _supabase_db(db)
    write_migration(supabase_project, "1", "profiles", PROFILES)
    write_migration(
        supabase_project, "2", "todos", "create schema app; create table app.todos (id int);"
    )
    (supabase_project / "supabase" / "seed.sql").write_text(
        "insert into app.todos values (1), (2);\n"
    )
    execute(
        db,
        "insert into auth.users (id) values (gen_random_uuid()); create table public.scratch (x int);",
    )
    for _ in range(2):  # twice: the second run must cope with what the first built
        result = cli(capsys, supabase_project, "db", "reset", "--db-url", db, "--yes")
        assert result.code == 0, result.err
        assert "2 migration(s) applied in one transaction, seeded" in result.out
    assert query(db, "select to_regclass('public.scratch')") == [(None,)]
    assert query(db, "select count(*) from app.todos") == [(2,)]
    assert query(db, "select count(*) from auth.users") == [(1,)]  # platform data stays
    assert query(db, "select polname from pg_policy") == [("own avatar",)]
    assert query(db, "select path from supabase_migrations.seed_files") == [("supabase/seed.sql",)]
    assert query(db, "select version from supabase_migrations.schema_migrations order by 1") == [
        ("1",),
        ("2",),
    ]


def test_reset_to_a_version_and_without_seed(
    capsys: pytest.CaptureFixture[str], supabase_project: Path, db: str
) -> None:
    _supabase_db(db)
    write_migration(supabase_project, "1", "profiles", PROFILES)
    write_migration(
        supabase_project, "2", "more", "alter table public.profiles add column bio text;"
    )
    (supabase_project / "supabase" / "seed.sql").write_text("select 1;\n")
    result = cli(
        capsys,
        supabase_project,
        "db",
        "reset",
        "--db-url",
        db,
        "--yes",
        "--version",
        "1",
        "--no-seed",
    )
    assert result.code == 0, result.err
    assert query(
        db, "select count(*) from information_schema.columns where table_name = 'profiles'"
    ) == [(2,)]
    assert query(db, "select count(*) from supabase_migrations.seed_files") == [(0,)]


def test_a_failing_reset_changes_nothing(
    capsys: pytest.CaptureFixture[str], supabase_project: Path, db: str
) -> None:
    _supabase_db(db)
    execute(db, "create table public.keep_me (x int); insert into public.keep_me values (42);")
    write_migration(supabase_project, "1", "ok", "create table public.a (x int);")
    write_migration(supabase_project, "2", "bad", "alter table public.nope add column y int;")
    result = cli(capsys, supabase_project, "db", "reset", "--db-url", db, "--yes")
    assert result.code == 2 and 'relation "public.nope" does not exist' in result.err
    assert query(db, "select x from public.keep_me") == [(42,)]
    assert query(db, "select to_regclass('public.a')") == [(None,)]


def test_reset_of_a_named_database_needs_confirmation(
    capsys: pytest.CaptureFixture[str], supabase_project: Path, db: str
) -> None:
    execute(db, "create table public.keep_me (x int);")
    result = cli(capsys, supabase_project, "db", "reset", "--db-url", db)
    assert result.code == 2 and "pass --yes" in result.err
    assert query(db, "select to_regclass('public.keep_me') is not null") == [(True,)]


def test_reset_defaults_to_the_local_embedded_database(
    capsys: pytest.CaptureFixture[str], supabase_project: Path
) -> None:
    write_migration(supabase_project, "1", "profiles", PROFILES)
    # A typical Supabase seed creates users: the local stand-ins are rebuilt, data included.
    (supabase_project / "supabase" / "seed.sql").write_text(
        "insert into auth.users (id, email) values ('00000000-0000-0000-0000-000000000001', 'a@example.com');\n"
    )
    try:
        assert cli(capsys, supabase_project, "db", "reset").code == 0
        second = cli(capsys, supabase_project, "db", "reset")
        assert second.code == 0, second.err
        url = local_cluster(load_project(supabase_project)).url()
        assert query(url, "select count(*) from pg_policy") == [(1,)]
        assert query(url, "select count(*) from auth.users") == [(1,)]
    finally:
        local_cluster(load_project(supabase_project)).stop()
