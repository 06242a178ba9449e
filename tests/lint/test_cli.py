"""`pgalign lint` end to end: files, the project's directory, formats, exit statuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import cli, write_migration

SAFE = "set lock_timeout = '3s';\ncreate index concurrently users_email on users (email);\n"
WARNING_ONLY = "set lock_timeout = '3s';\nalter table users rename column email to mail;\n"
BREAKS = "breaks code that still uses the old name"
ERROR = "set lock_timeout = '3s';\n\nalter table users drop column email;\n"


def _one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def test_lints_every_migration_in_the_project_by_default(
    capsys: pytest.CaptureFixture[str], project_dir: Path
) -> None:
    write_migration(project_dir, "20240101000000", "safe", SAFE)
    write_migration(project_dir, "20240102000000", "drop", ERROR)
    result = cli(capsys, project_dir, "lint", "--format", "json")
    assert result.code == 1
    [finding] = json.loads(result.out)["findings"]
    assert finding == {
        "rule": "ban-drop-column",
        "severity": "error",
        "file": str(project_dir / "supabase/migrations/20240102000000_drop.sql"),
        "line": 3,
        "statement": "alter table users drop column email",
        "message": finding["message"],
    }


def test_clean_project_exits_0_and_says_so(
    capsys: pytest.CaptureFixture[str], project_dir: Path
) -> None:
    write_migration(project_dir, "20240101000000", "safe", SAFE)
    result = cli(capsys, project_dir, "lint")
    assert result.code == 0
    assert "No findings in 1 file." in result.out


def test_warnings_alone_exit_0(capsys: pytest.CaptureFixture[str], project_dir: Path) -> None:
    path = write_migration(project_dir, "20240101000000", "rename", WARNING_ONLY)
    result = cli(capsys, project_dir, "lint", str(path))
    assert result.code == 0
    assert result.out.splitlines() == [
        str(path),
        f"  2  warning  renaming-column  renaming column users.email to mail {BREAKS}",
        "",
        "0 errors, 1 warning in 1 file.",
    ]


def test_named_files_and_directories_are_linted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, project_dir: Path
) -> None:
    loose = tmp_path / "loose"
    loose.mkdir()
    (loose / "b.sql").write_text(ERROR)
    (loose / "a.sql").write_text(WARNING_ONLY)
    (loose / "notes.txt").write_text("drop table users;")
    single = tmp_path / "one.sql"
    single.write_text("drop schema legacy;\n")
    result = cli(capsys, project_dir, "lint", "--format", "json", str(loose), str(single))
    assert result.code == 1
    found = [(f["file"], f["rule"]) for f in json.loads(result.out)["findings"]]
    assert found == [
        (str(loose / "a.sql"), "renaming-column"),
        (str(loose / "b.sql"), "ban-drop-column"),
        (str(single), "ban-drop-schema"),
    ]


def test_github_format_prints_workflow_commands(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, project_dir: Path
) -> None:
    path = tmp_path / "m.sql"
    path.write_text(ERROR + "alter table users rename to members;\n")
    result = cli(capsys, project_dir, "lint", "--format", "github", str(path))
    assert result.code == 1
    lines = result.out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"::error file={path},line=3,title=ban-drop-column::DROP COLUMN")
    assert lines[1].startswith(f"::warning file={path},line=4,title=renaming-table::")


def test_syntax_error_is_one_line_with_exit_2(
    capsys: pytest.CaptureFixture[str], project_dir: Path
) -> None:
    write_migration(project_dir, "20240101000000", "bad", "select 1;\nalter tabel users;\n")
    result = cli(capsys, project_dir, "lint")
    assert result.code == 2
    assert "20240101000000_bad.sql:2:" in _one_error_line(result.err)


def test_non_utf8_file_is_one_line_with_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, project_dir: Path
) -> None:
    path = tmp_path / "latin1.sql"
    path.write_bytes("select 'café';\n".encode("latin-1"))
    result = cli(capsys, project_dir, "lint", str(path))
    assert result.code == 2
    assert "not valid UTF-8" in _one_error_line(result.err)


def test_missing_file_is_one_line_with_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, project_dir: Path
) -> None:
    result = cli(capsys, project_dir, "lint", str(tmp_path / "nope.sql"))
    assert result.code == 2
    assert "nope.sql: no such file" in _one_error_line(result.err)


def test_unknown_format_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], project_dir: Path
) -> None:
    assert cli(capsys, project_dir, "lint", "--format", "xml").code == 2
