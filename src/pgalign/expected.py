"""The expected schema of an environment: its applied migrations, replayed and inspected."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from pgalign.bootstrap import supabase_bootstrap
from pgalign.catalog.inspect import inspect
from pgalign.catalog.model import Catalog
from pgalign.config import Project
from pgalign.errors import HistoryError
from pgalign.migrations.directory import MigrationDir, version_key
from pgalign.migrations.executor import Applicable
from pgalign.migrations.history import AppliedMigration
from pgalign.migrations.recorded import RecordedMigration
from pgalign.shadow import (
    SUPABASE_DEFAULT_EXTENSIONS,
    Shadow,
    replay,
    required_extensions,
    shadow_host,
)

Progress = Callable[[str], None]


def platform_snapshot_path(project: Project) -> Path:
    """Where `pgalign platform snapshot` keeps the platform schemas of a real environment."""
    return project.root / "supabase" / "platform.sql"


def project_bootstrap(project: Project) -> str | None:
    """The SQL every shadow starts from: Supabase's stand-ins in a Supabase project."""
    snapshot = platform_snapshot_path(project)
    if project.is_supabase and snapshot.is_file():
        return snapshot.read_text(encoding="utf-8")
    return supabase_bootstrap() if project.is_supabase else None


class ReplayCatalogs:
    """Shadow replays and their catalogs, shared by every environment of one run."""

    def __init__(self, project: Project, say: Progress | None = None) -> None:
        self.project = project
        self.bootstrap = project_bootstrap(project)
        self.say = say or (lambda _message: None)
        self._catalogs: dict[tuple[str, str], Catalog] = {}
        self._available: dict[str, frozenset[str]] = {}  # extensions, by shadow server
        self._gaps: dict[int, frozenset[str]] = {}  # by id of a catalog in _catalogs

    def shadow_of(self, migrations: Sequence[Applicable], major: int | None, what: str) -> Shadow:
        needs = required_extensions(migrations, self.bootstrap)
        prefer = SUPABASE_DEFAULT_EXTENSIONS if self.project.is_supabase else frozenset()
        host = shadow_host(self.project, needs, major, prefer)
        shadow = replay(host, migrations, self.bootstrap)
        if shadow.replayed:
            self.say(f"replayed {shadow.replayed} migration(s) of {what} in the shadow database")
        return shadow

    def catalog_of(self, migrations: Sequence[Applicable], major: int | None, what: str) -> Catalog:
        shadow = self.shadow_of(migrations, major, what)
        key = (shadow.host.admin_url, shadow.dbname)
        if key not in self._catalogs:
            catalog = self._catalogs[key] = inspect(shadow.url)
            self._gaps[id(catalog)] = self._platform_gaps(shadow)
        return self._catalogs[key]

    def platform_gaps(self, catalog: Catalog) -> frozenset[str]:
        """The extensions every Supabase project has that the server which replayed
        `catalog` does not ship: the bootstrap could not create them, so their absence
        from `catalog` says nothing about the project."""
        return self._gaps.get(id(catalog), frozenset())

    def _platform_gaps(self, shadow: Shadow) -> frozenset[str]:
        if not self.project.is_supabase:
            return frozenset()
        url = shadow.host.admin_url
        if url not in self._available:
            with shadow.host.admin() as conn:
                rows = conn.execute("SELECT name FROM pg_available_extensions").fetchall()
            self._available[url] = frozenset(str(row[0]) for row in rows)
        return SUPABASE_DEFAULT_EXTENSIONS - self._available[url]


def applied_migrations(
    env: str, history: list[AppliedMigration], directory: MigrationDir
) -> list[Applicable]:
    """What ran in `env`, in version order: recorded statements, else the local file."""
    files = directory.by_key()
    result: list[Applicable] = []
    for row in sorted(history, key=lambda r: version_key(r.version)):
        if row.statements is not None:
            result.append(RecordedMigration(row, env))
        elif version_key(row.version) in files:
            result.append(files[version_key(row.version)])
        else:
            raise HistoryError(
                f"version {row.version} was recorded on {env} without its statements "
                "and has no file here",
                "restore the file, then run again",
            )
    return result
