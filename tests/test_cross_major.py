"""An environment on one PostgreSQL major version, its shadow replay on another: the
embedded server is 18, production often 15 or 17. Differences that only the version makes
(PostgreSQL 17 gave table owners MAINTAIN) must not show as drift."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from pgalign.catalog.inspect import inspect
from pgalign.diff.compare import diff
from pgalign.server import TemporaryCluster, find_installations
from tests.alignment_helpers import fix_of, problem_codes, status_json
from tests.conftest import TEST_PASSWORD, PgServer, execute, query
from tests.helpers import cli, write_migration

MIGRATION = """
do $$ begin create role reader; exception when duplicate_object then null; end $$;
create table public.notes (id bigint generated always as identity primary key, body text);
create view public.recent as select id, body from public.notes where id > 10;
grant select on public.notes, public.recent to reader;
create function public.note_count() returns bigint language sql as 'select count(*) from public.notes';
alter table public.notes enable row level security;
create policy reads on public.notes for select to reader using (true);
"""


VIEWS = """
create table public.notes (id bigint primary key, body text, owner int);
create table public.users (id int primary key, name text);
create view public.v1 as select id, body from public.notes where id > 10;
create view public.v2 as select n.id, u.name from public.notes n join public.users u on u.id = n.owner;
create view public.v3 as select owner, count(*) as c from public.notes group by owner
  having count(*) > 1 order by owner;
create view public.v4 as select id from public.notes n
  where exists (select 1 from public.users u where u.id = n.owner);
create view public.v5 as with x as (select id from public.notes) select id from x;
create view public.v6 as select notes.* from public.notes;
create view public.v7 as select id,
  (select max(u.id) from public.users u where u.id < notes.id) as m from public.notes;
create view public.v8 as select id from public.notes union all select id from public.users;
create view public.v9 as select id, row_number() over (partition by owner order by id)
  from public.notes;
"""


@pytest.fixture(scope="module")
def other_major(pg: PgServer) -> Iterator[str]:
    """Admin URL of a server of another major version than `pg`'s, started for the module."""
    mine = pg.version_num // 10000
    others = [i for i in find_installations() if i.major != mine]
    if not others:
        pytest.skip(f"only PostgreSQL {mine} is installed here")
    with TemporaryCluster(others[0], TEST_PASSWORD) as cluster:
        yield cluster.url()


def test_an_environment_replayed_on_another_major_version_is_aligned(
    capsys: pytest.CaptureFixture[str],
    project_dir: Path,
    db: str,
    other_major: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PGALIGN_SHADOW_URL", other_major)  # overrides the `db` fixture's
    (project_dir / "pgalign.toml").write_text(
        f'supabase = false\n[environments.production]\nurl = "{db}"\n'
    )
    write_migration(project_dir, "20240101000000", "init", MIGRATION)
    assert cli(capsys, project_dir, "push", "--env", "production", "--yes").code == 0
    report = status_json(capsys, project_dir)
    assert report["environments"]["production"]["drift"]["changes"] == []
    assert report["aligned"] is True, report["problems"]
    # the fingerprints differ (each major prints the schema its way); the schema does not
    assert (
        report["environments"]["production"]["fingerprint"] != report["migrations"]["fingerprint"]
    )
    assert report["same_schema"] == [["migrations", "production"]]
    # A real change still shows, and its pull writes SQL the environment's version accepts.
    execute(
        db, "alter table public.notes add column title text; grant insert on public.notes to reader"
    )
    report = status_json(capsys, project_dir)
    assert problem_codes(report, "production") == ["drift"]
    pulled = cli(capsys, project_dir, *fix_of(report, "production", "drift"), "--yes")
    assert pulled.code == 0, pulled.err
    written = sorted((project_dir / "supabase" / "migrations").glob("*.sql"))[-1].read_text()
    assert "MAINTAIN" not in written
    assert status_json(capsys, project_dir)["aligned"] is True


def test_the_same_schema_on_two_major_versions_has_no_differences(
    db: str, other_major: str
) -> None:
    """Views print differently before and after PostgreSQL 16; owners hold MAINTAIN from 17."""
    execute(db, VIEWS)
    execute(other_major, VIEWS)
    try:
        here, there = inspect(db), inspect(other_major)
        assert diff(here, there).sql() == ""
        assert diff(there, here).sql() == ""
        execute(
            other_major, "create or replace view public.v1 as select id, body from public.notes"
        )
        changed = diff(here, inspect(other_major)).sql()
        assert "CREATE OR REPLACE VIEW public.v1" in changed and "v2" not in changed
    finally:
        execute(other_major, "drop table public.notes, public.users cascade")


def test_supabase_default_extensions_the_shadow_server_lacks_are_not_drift(
    capsys: pytest.CaptureFixture[str],
    supabase_project: Path,
    db: str,
    pg: PgServer,
    other_major: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every Supabase project has uuid-ossp and pgcrypto; the embedded server ships neither.
    A shadow there cannot have them, which says nothing about the project."""
    from pgalign.bootstrap import supabase_bootstrap

    if not pg.has_extension("uuid-ossp"):
        pytest.skip(f"{pg.label} has no uuid-ossp to stand for a Supabase project's")
    with psycopg.connect(other_major) as conn:
        if conn.execute(
            "SELECT 1 FROM pg_available_extensions WHERE name = 'uuid-ossp'"
        ).fetchone():
            pytest.skip("the other server has uuid-ossp too: no gap to test")
    monkeypatch.setenv("PGALIGN_SHADOW_URL", other_major)
    execute(db, supabase_bootstrap())  # what the platform gives every project
    installed = query(db, "select extname from pg_extension order by 1")
    assert ("uuid-ossp",) in installed and ("pgcrypto",) in installed
    (supabase_project / "pgalign.toml").write_text(f'[environments.production]\nurl = "{db}"\n')
    write_migration(
        supabase_project,
        "20240101000000",
        "notes",
        "create table public.notes (id uuid primary key default gen_random_uuid(), body text);",
    )
    assert cli(capsys, supabase_project, "push", "--env", "production", "--yes").code == 0
    report = status_json(capsys, supabase_project)
    assert report["environments"]["production"]["drift"]["changes"] == []
    assert report["aligned"] is True, report["problems"]
    pulled = cli(capsys, supabase_project, "pull", "--env", "production", "--yes")
    assert pulled.code == 0 and "nothing to pull" in pulled.out
    # An extension that is not one of the platform's defaults still counts.
    if pg.has_extension("citext"):
        execute(db, "create extension citext")
        changes = status_json(capsys, supabase_project)["environments"]["production"]["drift"]
        assert [c["object"] for c in changes["changes"]] == ["citext"]
