"""Bad input: one clear line on stderr, exit status 2, no traceback, nothing written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pgalign.server import free_port
from tests.conftest import PgServer, query
from tests.helpers import cli, write_config, write_migration


def _one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in stderr
    return lines[0]


def _untouched(db: str) -> None:
    assert query(db, "select to_regnamespace('supabase_migrations')") == [(None,)]
    assert query(
        db, "select count(*) from pg_class where relnamespace = 'public'::regnamespace"
    ) == [(0,)]


def test_unreachable_host(capsys: pytest.CaptureFixture[str], project_dir: Path) -> None:
    write_migration(project_dir, "1", "a", "create table a (x int);")
    url = f"postgresql://postgres:pw-unreachable@127.0.0.1:{free_port()}/postgres"
    result = cli(capsys, project_dir, "push", "--db-url", url)
    assert result.code == 2
    line = _one_error_line(result.err)
    assert "cannot connect to 127.0.0.1:" in line and "pw-unreachable" not in line


def test_wrong_password(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str, pg: PgServer
) -> None:
    assert pg.password
    write_migration(project_dir, "1", "a", "create table a (x int);")
    bad = db.replace(pg.password, "wrong-pw-123")
    result = cli(capsys, project_dir, "push", "--db-url", bad)
    assert result.code == 2
    line = _one_error_line(result.err)
    assert "password authentication failed" in line and "wrong-pw-123" not in line
    _untouched(db)


def test_unknown_environment(capsys: pytest.CaptureFixture[str], project_dir: Path) -> None:
    result = cli(capsys, project_dir, "push", "--env", "prod")
    assert result.code == 2
    assert "unknown environment 'prod'" in _one_error_line(result.err)


def test_missing_variable(
    capsys: pytest.CaptureFixture[str], project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PGALIGN_TEST_MISSING_URL", raising=False)
    write_config(project_dir, {"production": "${PGALIGN_TEST_MISSING_URL}"})
    result = cli(capsys, project_dir, "migration", "list", "--env", "production")
    assert result.code == 2
    assert "PGALIGN_TEST_MISSING_URL is not set" in _one_error_line(result.err)


def test_unreadable_file(capsys: pytest.CaptureFixture[str], project_dir: Path, db: str) -> None:
    (project_dir / "supabase" / "migrations" / "1_gone.sql").symlink_to(project_dir / "nowhere.sql")
    result = cli(capsys, project_dir, "push", "--db-url", db)
    assert result.code == 2
    assert "cannot read" in _one_error_line(result.err)
    _untouched(db)


def test_non_utf8_file(capsys: pytest.CaptureFixture[str], project_dir: Path, db: str) -> None:
    (project_dir / "supabase" / "migrations" / "1_latin1.sql").write_bytes(b"select '\xe9t\xe9';\n")
    result = cli(capsys, project_dir, "push", "--db-url", db)
    assert result.code == 2
    assert "1_latin1.sql:1: not valid UTF-8" in _one_error_line(result.err)
    _untouched(db)


def test_syntax_error_in_a_later_migration_writes_nothing(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    write_migration(project_dir, "1", "fine", "create table a (x int);")
    write_migration(project_dir, "2", "typo", "create table b (x int);\ncreate tabel c (x int);\n")
    result = cli(capsys, project_dir, "push", "--db-url", db)
    assert result.code == 2
    assert "2_typo.sql:2:8: SQL syntax error" in _one_error_line(result.err)
    _untouched(db)


def test_the_installed_command_prints_no_traceback(project_dir: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "pgalign", "--workdir", str(project_dir), "push", "--env", "nope"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error: unknown environment 'nope'")
    assert "\x1b[" not in done.stderr


@pytest.mark.parametrize("text", ["", "\n\n", "-- only a comment\n/* and another */\n"])
def test_empty_or_comment_only_migration(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str, text: str
) -> None:
    write_migration(project_dir, "1", "blank", text)
    result = cli(capsys, project_dir, "push", "--db-url", db)
    assert result.code == 2
    assert "1_blank.sql: the migration has no SQL statements" in _one_error_line(result.err)
    _untouched(db)
