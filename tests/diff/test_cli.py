"""`pgalign diff FROM TO` end to end, in-process, on real servers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import PgServer, execute
from tests.helpers import cli, write_config

SCHEMA = "create table users (id bigint primary key, email text);"


def test_diff_of_identical_databases_prints_nothing_and_exits_0(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db_factory: PgServer
) -> None:
    a, b = db_factory.create_database(), db_factory.create_database()
    execute(a, SCHEMA)
    execute(b, SCHEMA)
    result = cli(capsys, project_dir, "diff", a, b)
    assert result.code == 0, result.err
    assert result.out == ""
    assert "no differences" in result.err


def test_diff_prints_hazards_as_comments_before_their_statement_and_exits_1(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db_factory: PgServer
) -> None:
    a, b = db_factory.create_database(), db_factory.create_database()
    execute(a, SCHEMA + "create table old_stuff (x int);")
    execute(b, SCHEMA + "create index users_email on users (email);")
    result = cli(capsys, project_dir, "diff", a, b)
    assert result.code == 1, result.err
    lines = result.out.splitlines()
    drop = lines.index("DROP TABLE public.old_stuff;")
    assert lines[drop - 1].startswith("-- hazard: deletes_data: public.old_stuff")
    index = lines.index("CREATE INDEX users_email ON public.users USING btree (email);")
    assert lines[index - 1].startswith("-- hazard: blocks_writes: CREATE INDEX without")


def test_diff_json_lists_statements_with_hazards_and_changes(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db_factory: PgServer
) -> None:
    a, b = db_factory.create_database(), db_factory.create_database()
    execute(b, SCHEMA)
    result = cli(capsys, project_dir, "diff", a, b, "--format", "json")
    assert result.code == 1, result.err
    data = json.loads(result.out)
    assert data["statements"][0] == {
        "sql": "CREATE TABLE public.users (\n    id bigint NOT NULL,\n    email text\n)",
        "hazards": [],
    }
    assert {"kind": "table", "name": "public.users", "action": "create"} in data["changes"]


def test_diff_takes_environment_names_and_empty(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db_factory: PgServer
) -> None:
    prod = db_factory.create_database()
    execute(prod, SCHEMA)
    write_config(project_dir, {"prod": prod})
    result = cli(capsys, project_dir, "diff", "prod", "empty")
    assert result.code == 1, result.err
    assert "DROP TABLE public.users;" in result.out
    assert "public" not in result.out.replace("public.users", "")  # never drops built-ins


def test_diff_limits_to_named_schemas_and_leaves_excluded_ones_out(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db_factory: PgServer
) -> None:
    a, b = db_factory.create_database(), db_factory.create_database()
    execute(
        b,
        "create schema app; create table app.t (a int); create schema other;"
        " create table other.t (a int); create table public.t (a int);",
    )
    only_app = cli(capsys, project_dir, "diff", a, b, "--schema", "app")
    assert "app.t" in only_app.out and "other" not in only_app.out
    assert "public.t" not in only_app.out
    without = cli(capsys, project_dir, "diff", a, b, "-x", "other", "--exclude-schema", "app")
    assert "public.t" in without.out
    assert "other" not in without.out and "app" not in without.out


def test_diff_leaves_supabase_schemas_out_but_keeps_user_policies_and_triggers_on_them(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db_factory: PgServer
) -> None:
    platform = (
        "create schema auth; create table auth.users (id uuid primary key);"
        " create function auth.uid() returns uuid language sql as 'select null::uuid';"
        " create schema storage; create table storage.objects (id uuid, owner uuid);"
        " alter table storage.objects enable row level security;"
    )
    a, b = db_factory.create_database(), db_factory.create_database()
    execute(a, platform)
    execute(
        b,
        platform + "alter table auth.users add column platform_only text;"
        " create function auth.platform_hook() returns trigger language plpgsql"
        " as $$begin return new; end$$;"
        " create trigger platform_hook after insert on auth.users"
        " for each row execute function auth.platform_hook();"
        " create table public.profiles (id uuid primary key);"
        " create function public.handle_new_user() returns trigger language plpgsql"
        " as $$begin insert into public.profiles values (new.id); return new; end$$;"
        " create trigger on_auth_user_created after insert on auth.users"
        " for each row execute function public.handle_new_user();"
        " create policy own_files on storage.objects using (owner = auth.uid());",
    )
    result = cli(capsys, project_dir, "diff", a, b)
    assert result.code == 1, result.err
    assert "CREATE TRIGGER on_auth_user_created AFTER INSERT ON auth.users" in result.out
    assert "CREATE POLICY own_files ON storage.objects" in result.out
    assert "platform_only" not in result.out
    assert "platform_hook" not in result.out
    function = result.out.index("CREATE OR REPLACE FUNCTION public.handle_new_user()")
    assert function < result.out.index("CREATE TRIGGER on_auth_user_created")


def test_diff_loads_a_sql_file_into_a_throwaway_database(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db_factory: PgServer
) -> None:
    live = db_factory.create_database()
    execute(live, SCHEMA)
    schema_file = project_dir / "schema.sql"
    schema_file.write_text(SCHEMA + "\ncreate table posts (id bigint primary key);\n")
    result = cli(capsys, project_dir, "diff", live, str(schema_file))
    assert result.code == 1, result.err
    assert result.out.startswith("CREATE TABLE public.posts")
    assert "users" not in result.out


def test_diff_reports_an_unloadable_sql_file_and_a_bad_url_as_errors(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    broken = project_dir / "broken.sql"
    broken.write_text("create tabel oops;")
    result = cli(capsys, project_dir, "diff", db, str(broken))
    assert result.code == 2
    assert "broken.sql failed to load" in result.err
    unreachable = "postgresql://nobody:pw@127.0.0.1:1/none"
    result = cli(capsys, project_dir, "diff", unreachable, db)
    assert result.code == 2
    assert "cannot connect" in result.err and "pw@" not in result.err
