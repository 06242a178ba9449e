"""Shadow replay: migrations into a throwaway database, cached as templates."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from pgalign.bootstrap import supabase_bootstrap
from pgalign.config import load_project
from pgalign.errors import MigrationFailed, ServerError
from pgalign.migrations.directory import MigrationFile, load_directory
from pgalign.migrations.history import AppliedMigration
from pgalign.migrations.recorded import RecordedMigration
from pgalign.server import Cluster, system_installations
from pgalign.shadow import ShadowHost, replay, required_extensions, shadow_host
from pgalign.targets import server_data_dir
from tests.conftest import PgServer, query
from tests.helpers import write_migration


def _host(pg: PgServer) -> ShadowHost:
    return ShadowHost(pg.admin_url, pg.label)


def _files(project: Path) -> list[MigrationFile]:
    return load_directory(project / "supabase" / "migrations").files


def test_replay_is_cached_and_extended_from_the_longest_cached_prefix(
    pg: PgServer, project_dir: Path
) -> None:
    # A comment no other test writes keeps the session server's cache cold for this test.
    marker = f"-- {uuid.uuid4()}\n"
    write_migration(project_dir, "1", "a", marker + "create table a (x int);")
    write_migration(project_dir, "2", "b", "create index concurrently a_x on a (x);")
    first = replay(_host(pg), _files(project_dir), None)
    assert first.replayed == 2
    assert query(first.url, "select count(*) from pg_indexes where indexname = 'a_x'") == [(1,)]
    again = replay(_host(pg), _files(project_dir), None)
    assert (again.dbname, again.replayed) == (first.dbname, 0)
    write_migration(project_dir, "3", "c", "alter table a add column y text;")
    extended = replay(_host(pg), _files(project_dir), None)
    assert extended.replayed == 1 and extended.dbname != first.dbname
    assert query(
        extended.url, "select count(*) from information_schema.columns where table_name = 'a'"
    ) == [(2,)]
    assert query(
        extended.url, "select version from supabase_migrations.schema_migrations order by 1"
    ) == [
        ("1",),
        ("2",),
        ("3",),
    ]


def test_recorded_history_replays_like_files(pg: PgServer) -> None:
    rows = [
        AppliedMigration("1", "a", ("-- c\ncreate table a (x int)", "insert into a values (1)")),
        AppliedMigration("2", "b", ("create view v as select x from a",)),
    ]
    shadow = replay(_host(pg), [RecordedMigration(r, "production") for r in rows], None)
    assert query(shadow.url, "select x from v") == [(1,)]


def test_a_recorded_statement_that_fails_is_located_inside_its_recorded_text(
    pg: PgServer,
) -> None:
    marker = f"-- {uuid.uuid4()}"  # a replay of its own, not a cached one
    rows = [
        AppliedMigration(
            "1",
            "a",
            (f"{marker}\ncreate table a (x int)", "create view v as\n  select x,\n    nope from a"),
        )
    ]
    with pytest.raises(MigrationFailed) as failed:
        replay(_host(pg), [RecordedMigration(r, "production") for r in rows], None)
    message = failed.value.message
    assert "production history 1_a: statement 2 (line 3 of it) failed" in message
    assert '"nope" does not exist' in message


def test_supabase_migrations_replay_on_plain_postgres_with_the_bootstrap(
    pg: PgServer, project_dir: Path
) -> None:
    write_migration(
        project_dir,
        "20240101000000",
        "profiles",
        """
        create table public.profiles (
          id uuid primary key references auth.users (id) on delete cascade,
          username text
        );
        alter table public.profiles enable row level security;
        create policy "own profile" on public.profiles for select to authenticated
          using (auth.uid() = id);
        grant select on public.profiles to anon, authenticated;
        create policy "avatars" on storage.objects for insert to authenticated
          with check (bucket_id = 'avatars' and (storage.foldername(name))[1] = auth.uid()::text);
        alter publication supabase_realtime add table public.profiles;
        create function public.is_admin() returns boolean language sql stable
          as $$ select coalesce(auth.jwt() ->> 'role', '') = 'service_role' $$;
        """,
    )
    with pytest.raises(MigrationFailed):
        replay(_host(pg), _files(project_dir), None)
    shadow = replay(_host(pg), _files(project_dir), supabase_bootstrap())
    assert query(shadow.url, "select polname from pg_policy order by 1") == [
        ("avatars",),
        ("own profile",),
    ]


def test_failing_replay_names_file_statement_and_line(pg: PgServer, project_dir: Path) -> None:
    path = write_migration(
        project_dir, "1", "bad", "create table a (x int);\n\nalter table nope add column y int;\n"
    )
    with pytest.raises(MigrationFailed) as caught:
        replay(_host(pg), _files(project_dir), None)
    message = caught.value.message
    assert (
        f"{path}:3: statement 2 failed" in message and 'relation "nope" does not exist' in message
    )


def test_required_extensions_come_from_the_parse_tree(project_dir: Path) -> None:
    write_migration(
        project_dir,
        "1",
        "ext",
        'create extension if not exists "uuid-ossp" with schema extensions;\n'
        "select 'create extension pgcrypto';\ncreate extension citext;",
    )
    assert required_extensions(_files(project_dir)) == {"uuid-ossp", "citext"}


def test_an_extension_no_server_has_is_named_with_the_setting_that_fixes_it(
    project_dir: Path,
) -> None:
    project = load_project(project_dir)
    with pytest.raises(ServerError) as caught:
        shadow_host(project, {"pgalign_no_such_extension"})
    assert "pgalign_no_such_extension" in caught.value.message
    assert "shadow_url" in (caught.value.hint or "")


@pytest.mark.skipif(
    not any(
        (Path(f"/usr/share/postgresql/{i.major}/extension/uuid-ossp.control")).is_file()
        for i in system_installations()
    ),
    reason="no Debian PostgreSQL with uuid-ossp on this machine",
)
def test_uuid_ossp_projects_replay_on_a_debian_server_when_embedded_lacks_it(
    project_dir: Path,
) -> None:
    write_migration(
        project_dir,
        "1",
        "ext",
        'create extension if not exists "uuid-ossp";\ncreate table t (id uuid default uuid_generate_v4());',
    )
    project = load_project(project_dir)
    files = _files(project_dir)
    host = shadow_host(project, required_extensions(files))
    try:
        assert host.description.startswith("system PostgreSQL")
        shadow = replay(host, files, None)
        assert query(
            shadow.url, "select count(*) from pg_extension where extname = 'uuid-ossp'"
        ) == [(1,)]
    finally:
        for installation in system_installations():
            data = server_data_dir(project, f"shadow-{installation.major}")
            if data.is_dir():
                Cluster(installation, data, "postgres").stop()
