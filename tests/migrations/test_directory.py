"""The migration directory: names, order, duplicates, encodings."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from pgalign.errors import ConfigError, MigrationFileError
from pgalign.migrations.directory import load_directory, new_migration


def _touch(directory: Path, name: str, text: str = "select 1;") -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_text(text)


def test_versions_sort_numerically(tmp_path: Path) -> None:
    for name in ["10_ten.sql", "9_nine.sql", "100_hundred.sql"]:
        _touch(tmp_path, name)
    assert [f.version for f in load_directory(tmp_path).files] == ["9", "10", "100"]


def test_files_that_do_not_match_are_warned_about(tmp_path: Path) -> None:
    _touch(tmp_path, "20240101000000_ok.sql")
    _touch(tmp_path, "notes.txt")
    _touch(tmp_path, "v2_bad.sql")
    _touch(tmp_path, ".gitkeep", "")
    (tmp_path / "archive").mkdir()
    found = load_directory(tmp_path)
    assert [f.name for f in found.files] == ["ok"]
    warned = "\n".join(found.warnings)
    assert "notes.txt" in warned and "v2_bad.sql" in warned and "archive" in warned
    assert ".gitkeep" not in warned


def test_duplicate_versions_are_an_error(tmp_path: Path) -> None:
    _touch(tmp_path, "20240101000000_a.sql")
    _touch(tmp_path, "20240101000000_b.sql")
    with pytest.raises(MigrationFileError, match="duplicate migration version 20240101000000"):
        load_directory(tmp_path)


def test_numerically_equal_versions_are_duplicates(tmp_path: Path) -> None:
    _touch(tmp_path, "7_a.sql")
    _touch(tmp_path, "007_b.sql")
    with pytest.raises(MigrationFileError, match="duplicate"):
        load_directory(tmp_path)


def test_non_utf8_file_is_reported_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "1_latin.sql").write_bytes(b"select 1;\nselect '\xe9';\n")
    migration = load_directory(tmp_path).files[0]
    with pytest.raises(MigrationFileError, match=r"1_latin.sql:2: not valid UTF-8"):
        migration.statements  # noqa: B018


def test_new_migration_uses_a_utc_timestamp_after_every_existing_version(tmp_path: Path) -> None:
    now = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    first = new_migration(load_directory(tmp_path), "create_users", now)
    assert first.name == "20240506070809_create_users.sql"
    second = new_migration(load_directory(tmp_path), "again", now)
    assert second.name == "20240506070810_again.sql"


def test_new_migration_rejects_a_name_with_a_slash(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="invalid migration name"):
        new_migration(load_directory(tmp_path), "a/b")
