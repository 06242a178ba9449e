"""`pgalign migration list`: every state, several environments, JSON for scripts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import PgServer, execute
from tests.helpers import cli, write_config, write_migration

MIGRATIONS = "supabase/migrations"


def _record(url: str, version: str, statements: list[str], name: str = "x") -> None:
    quoted = ",".join('"' + s.replace('"', '\\"') + '"' for s in statements)
    execute(
        url,
        "create schema if not exists supabase_migrations;"
        "create table if not exists supabase_migrations.schema_migrations "
        "(version text primary key, statements text[], name text);"
        f"insert into supabase_migrations.schema_migrations values ('{version}', '{{{quoted}}}', '{name}')",
    )


def test_every_state_is_reported_per_environment(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db_factory: PgServer
) -> None:
    staging, production = db_factory.create_database(), db_factory.create_database()
    write_config(project_dir, {"staging": staging, "production": production})
    write_migration(project_dir, "20240101000000", "init", "create table a (x int);")
    write_migration(project_dir, "20240102000000", "edited", "create table b (x int, y int);")
    write_migration(project_dir, "20240103000000", "late_branch", "create table c (x int);")
    write_migration(project_dir, "20240105000000", "new", "create table e (x int);")
    for url in (staging, production):
        _record(
            url, "20240101000000", ["-- comments and layout do not matter\nCREATE TABLE a (x int)"]
        )
        _record(url, "20240102000000", ["create table b (x int)"])
    _record(production, "20240104000000", ["create table d (x int)"], "hotfix")
    result = cli(capsys, project_dir, "migration", "list", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["environments"] == ["directory", "staging", "production"]
    by_version = {m["version"]: m for m in data["migrations"]}
    assert list(by_version) == [
        "20240101000000",
        "20240102000000",
        "20240103000000",
        "20240104000000",
        "20240105000000",
    ]
    assert by_version["20240101000000"]["status"] == {
        "directory": "applied",
        "staging": "applied",
        "production": "applied",
    }
    assert by_version["20240102000000"]["status"]["production"] == "modified"
    assert by_version["20240103000000"]["status"] == {
        "directory": "applied",
        "staging": "pending",
        "production": "out_of_order",
    }
    assert by_version["20240104000000"] == {
        "version": "20240104000000",
        "name": "hotfix",
        "file": None,
        "status": {"directory": "missing_local", "staging": None, "production": "missing_local"},
    }
    assert by_version["20240105000000"]["status"]["production"] == "pending"
    assert by_version["20240101000000"]["file"] == f"{MIGRATIONS}/20240101000000_init.sql"


def test_table_output_names_each_environment(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    write_config(project_dir, {"staging": db})
    write_migration(project_dir, "1", "a", "select 1;")
    result = cli(capsys, project_dir, "migration", "list", "--env", "staging")
    assert result.code == 0
    assert "staging" in result.out and "pending" in result.out and "directory" in result.out


def test_versions_compare_numerically_in_list(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    write_migration(project_dir, "9", "nine", "select 9;")
    write_migration(project_dir, "10", "ten", "select 10;")
    _record(db, "10", ["select 10"])
    data = json.loads(cli(capsys, project_dir, "migration", "list", "--db-url", db, "--json").out)
    (env,) = [e for e in data["environments"] if e != "directory"]
    assert [(m["version"], m["status"][env]) for m in data["migrations"]] == [
        ("9", "out_of_order"),
        ("10", "applied"),
    ]


def test_list_is_read_only(capsys: pytest.CaptureFixture[str], project_dir: Path, db: str) -> None:
    write_migration(project_dir, "1", "a", "select 1;")
    assert cli(capsys, project_dir, "migration", "list", "--db-url", db).code == 0
    from tests.conftest import query

    assert query(db, "select to_regnamespace('supabase_migrations')") == [(None,)]
