"""`pgalign migration repair` and `migration fetch`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import query
from tests.helpers import cli, write_config, write_migration


def _states(capsys: pytest.CaptureFixture[str], project: Path, db: str) -> dict[str, str]:
    data = json.loads(cli(capsys, project, "migration", "list", "--db-url", db, "--json").out)
    env = data["environments"][1]
    return {m["version"]: m["status"][env] for m in data["migrations"]}


def test_repair_needs_an_environment(capsys: pytest.CaptureFixture[str], project_dir: Path) -> None:
    result = cli(capsys, project_dir, "migration", "repair", "1", "--status", "applied")
    assert result.code == 2 and "needs --env" in result.err


def test_repair_marks_applied_and_reverted_without_running_sql(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    write_config(project_dir, {"staging": db})
    write_migration(project_dir, "1", "a", "create table a (x int);")
    write_migration(project_dir, "2", "b", "create table b (x int);")
    ok = cli(
        capsys,
        project_dir,
        "migration",
        "repair",
        "1",
        "2",
        "--status",
        "applied",
        "--env",
        "staging",
    )
    assert ok.code == 0, ok.err
    assert _states(capsys, project_dir, db) == {"1": "applied", "2": "applied"}
    assert query(db, "select to_regclass('a')") == [(None,)]
    reverted = cli(
        capsys, project_dir, "migration", "repair", "2", "--status", "reverted", "--env", "staging"
    )
    assert reverted.code == 0
    assert _states(capsys, project_dir, db) == {"1": "applied", "2": "pending"}


def test_repair_applied_rerecords_a_modified_file(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    path = write_migration(project_dir, "1", "a", "create table a (x int);")
    assert cli(capsys, project_dir, "push", "--db-url", db).code == 0
    path.write_text("create table a (x int, y int);")
    assert _states(capsys, project_dir, db) == {"1": "modified"}
    assert (
        cli(
            capsys, project_dir, "migration", "repair", "1", "--status", "applied", "--db-url", db
        ).code
        == 0
    )
    assert _states(capsys, project_dir, db) == {"1": "applied"}


def test_fetch_writes_remote_only_versions_that_then_read_as_applied(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    tricky = (
        "create table t (x text default 'a;b'); -- trailing comment\n"
        "create function f() returns int language sql as $$ select 1; $$;\n"
        "-- closing comment\n"
    )
    path = write_migration(project_dir, "20240101000000", "archived", tricky)
    assert cli(capsys, project_dir, "push", "--db-url", db).code == 0
    path.unlink()
    assert _states(capsys, project_dir, db) == {"20240101000000": "missing_local"}
    result = cli(capsys, project_dir, "migration", "fetch", "--db-url", db)
    assert result.code == 0, result.err
    assert path.is_file()
    assert _states(capsys, project_dir, db) == {"20240101000000": "applied"}


def test_fetch_overwrite_restores_a_modified_file(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    path = write_migration(project_dir, "1", "a", "create table a (x int);")
    assert cli(capsys, project_dir, "push", "--db-url", db).code == 0
    path.write_text("create table a (x bigint);")
    assert cli(capsys, project_dir, "migration", "fetch", "--db-url", db).code == 0
    assert _states(capsys, project_dir, db) == {"1": "modified"}
    assert cli(capsys, project_dir, "migration", "fetch", "--db-url", db, "--overwrite").code == 0
    assert _states(capsys, project_dir, db) == {"1": "applied"}
    assert "x int" in path.read_text()
