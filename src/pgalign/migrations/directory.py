"""The migration directory: `<version>_<name>.sql` files, ordered numerically by version."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

from pgalign.errors import ConfigError, MigrationFileError
from pgalign.migrations.statements import Statement, split_sql

# The Supabase CLI's own file name rule.
FILE_NAME = re.compile(r"^([0-9]+)_(.*)\.sql$")
_QUIET = {".gitkeep", ".keep", ".DS_Store"}
_MIGRATION_NAME = re.compile(r"^[\w.-]+$")


def version_key(version: str) -> int:
    """Versions compare as numbers everywhere: 9 < 10."""
    return int(version)


@dataclass(frozen=True)
class MigrationFile:
    version: str
    name: str
    path: Path

    @property
    def label(self) -> str:
        return str(self.path)

    def read_text(self) -> str:
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            raise MigrationFileError(
                f"cannot read {self.path}: {exc.strerror}", "check the file's permissions"
            ) from None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise MigrationFileError(
                f"{self.path}:{line}: not valid UTF-8 (byte {exc.start})",
                "save the file as UTF-8",
            ) from None

    @cached_property
    def statements(self) -> list[Statement]:
        return split_sql(self.read_text(), self.path)

    def recorded_statements(self) -> list[str]:
        """The statements as written to the history table."""
        return [stmt.text for stmt in self.statements]


@dataclass(frozen=True)
class MigrationDir:
    path: Path
    files: list[MigrationFile]
    warnings: list[str] = field(default_factory=list)

    def by_key(self) -> dict[int, MigrationFile]:
        return {version_key(f.version): f for f in self.files}

    def get(self, version: str) -> MigrationFile | None:
        return self.by_key().get(version_key(version))


def load_directory(path: Path) -> MigrationDir:
    """Read the directory listing (not the files' contents, which are read when needed)."""
    if not path.exists():
        return MigrationDir(path, [], [])
    if not path.is_dir():
        raise ConfigError(f"migrations directory {path} is not a directory")
    files: list[MigrationFile] = []
    warnings: list[str] = []
    for entry in sorted(path.iterdir()):
        if entry.name in _QUIET:
            continue
        if entry.is_dir():
            warnings.append(f"{entry}: directory ignored (migrations are read from {path} only)")
            continue
        match = FILE_NAME.match(entry.name)
        if match is None:
            warnings.append(
                f"{entry}: ignored, name does not match <version>_<name>.sql "
                "(version is digits, e.g. 20240101120000_create_users.sql)"
            )
            continue
        files.append(MigrationFile(match.group(1), match.group(2), entry))
    files.sort(key=lambda f: (version_key(f.version), f.path.name))
    for earlier, later in itertools.pairwise(files):
        if version_key(earlier.version) == version_key(later.version):
            raise MigrationFileError(
                f"duplicate migration version {later.version}: "
                f"{earlier.path.name} and {later.path.name}",
                "give one of them a new version (rename the file with a later timestamp)",
            )
    return MigrationDir(path, files, warnings)


def new_migration(directory: MigrationDir, name: str, now: datetime | None = None) -> Path:
    """Create an empty migration named with a 14-digit UTC timestamp after every existing one."""
    if not _MIGRATION_NAME.match(name):
        raise ConfigError(
            f"invalid migration name '{name}'",
            "use letters, digits, '_', '-' or '.', e.g. create_users",
        )
    directory.path.mkdir(parents=True, exist_ok=True)
    target = directory.path / f"{next_version(directory, now)}_{name}.sql"
    target.write_text("", encoding="utf-8")
    return target


def next_version(directory: MigrationDir, now: datetime | None = None) -> str:
    """A 14-digit UTC timestamp, later than every migration in the directory."""
    stamp = int((now or datetime.now(UTC)).strftime("%Y%m%d%H%M%S"))
    if directory.files:
        stamp = max(stamp, version_key(directory.files[-1].version) + 1)
    return f"{stamp:014d}"
