"""Hostile names round-trip through inspect, diff, push, status and pull."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgalign.catalog.inspect import inspect
from pgalign.diff.compare import diff
from pgalign.fingerprint import fingerprint
from tests.alignment_helpers import fix_of, status_json, write_envs
from tests.conftest import PgServer, execute
from tests.helpers import cli, write_migration

LONG = "t_" + "x" * 61  # 63 bytes, PostgreSQL's limit
HOSTILE = f'''
create schema "Weird ""Schema"" ü";
create type "Weird ""Schema"" ü"."Mood Type" as enum ('it''s', 'happy "day"', 'ünï');
create table "Weird ""Schema"" ü"."select" (
  "order" int primary key,
  "Mixed Case" text,
  "col""umn" text default 'a''b',
  "ünïcödé" "Weird ""Schema"" ü"."Mood Type",
  "with space" int
);
create table public."{LONG}" (id int primary key, "select" int references "Weird ""Schema"" ü"."select" ("order"));
create index "idx ""q""" on "Weird ""Schema"" ü"."select" ("Mixed Case");
create function "Weird ""Schema"" ü"."Do ""It""" ("the arg" int) returns int language sql
  as $$ select "the arg" + 1 $$;
alter table "Weird ""Schema"" ü"."select" enable row level security;
create policy "can't ""see""" on "Weird ""Schema"" ü"."select" for select using ("order" > 0);
create view public."View Of ""select""" as select "order", "ünïcödé" from "Weird ""Schema"" ü"."select";
'''


def test_hostile_names_survive_push_status_diff_and_pull(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db_factory: PgServer
) -> None:
    staging, production, copy = (db_factory.create_database() for _ in range(3))
    write_envs(project_dir, db_factory, {"staging": staging, "production": production})
    write_migration(project_dir, "20240101000000", "hostile", HOSTILE)
    for env in ("staging", "production"):
        result = cli(capsys, project_dir, "push", "--env", env, "--no-backup")
        assert result.code == 0, result.err
    assert status_json(capsys, project_dir)["aligned"] is True

    # diff from empty to staging, applied to a fresh database, converges.
    plan = diff(inspect(copy), inspect(staging))
    execute(copy, plan.sql())
    assert not diff(inspect(copy), inspect(staging))
    assert fingerprint(inspect(copy)) == fingerprint(inspect(staging))

    # Drift with hostile names is reported, pulled, and pushed on.
    execute(
        production,
        'alter table "Weird ""Schema"" ü"."select" add column "new ""col"" ü" text;'
        'create policy "other ""one""" on "Weird ""Schema"" ü"."select" for update using (true);',
    )
    report = status_json(capsys, project_dir)
    changes = report["environments"]["production"]["drift"]["changes"]
    assert {c["kind"] for c in changes} == {"table", "policy"}
    assert any("other" in c["object"] for c in changes)
    assert cli(capsys, project_dir, *fix_of(report, "production", "drift"), "--yes").code == 0
    after_pull = status_json(capsys, project_dir)
    assert (
        cli(capsys, project_dir, *fix_of(after_pull, "staging", "pending"), "--no-backup").code == 0
    )
    assert status_json(capsys, project_dir)["aligned"] is True
