"""`pgalign pull`: capture an environment's drift as a new migration."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pgalign.alignment import without_extensions
from pgalign.catalog.inspect import inspect
from pgalign.config import Project
from pgalign.connect import connect, read_only
from pgalign.diff.compare import diff
from pgalign.diff.plan import Plan
from pgalign.errors import HistoryError
from pgalign.expected import ReplayCatalogs, applied_migrations
from pgalign.migrations.directory import MigrationDir, load_directory, new_migration
from pgalign.migrations.history import ensure_history_table, read_history, record_applied
from pgalign.migrations.reconcile import State, reconcile
from pgalign.targets import Target

HEADER = "-- Captured by `pgalign pull` from {env}: changes made there outside migrations.\n"
BASELINE_HEADER = (
    "-- Baseline captured by `pgalign pull` from {env}, which had no migration history.\n"
)


@dataclass(frozen=True)
class PullResult:
    paths: tuple[Path, ...]  # none when there was nothing to capture
    plan: Plan
    baseline: bool
    warnings: list[str]


def capture(project: Project, directory: MigrationDir, target: Target, name: str) -> PullResult:
    """Write the migration that turns what E's history implies into what E is."""
    with connect(target.url, application_name="pgalign pull") as conn:
        with read_only(conn):
            history = read_history(conn)
        actual = inspect(conn)
        major = conn.info.server_version // 10000
    applied = applied_migrations(target.name, history or [], directory)
    replays = ReplayCatalogs(project)
    expected = replays.catalog_of(applied, major, target.name)
    # Supabase's default extensions the shadow server lacks are the platform's, not drift
    actual = without_extensions(actual, expected, replays.platform_gaps(expected))
    plan = diff(expected, actual)
    reconciliation = reconcile(directory, history)
    waiting = [e.file for e in reconciliation.entries if e.state is State.PENDING and e.file]
    if plan and waiting:
        # A pull whose file was written but never recorded (or SQL run by hand): capturing
        # again would write the same changes twice.
        candidate = replays.catalog_of([*applied, *waiting], major, target.name)
        if not diff(candidate, actual):
            versions = " ".join(f.version for f in waiting)
            raise HistoryError(
                f"{target.name} already has every change of the pending migration(s) "
                f"{versions}: they are applied there but not recorded",
                f"record them with `pgalign migration repair {versions} --status applied "
                f"{target.flag}`",
            )
    warnings = []
    pending = reconciliation.versions(State.PENDING)
    if pending and plan:
        warnings.append(
            f"{target.name} has pending migrations ({', '.join(pending)}); the captured "
            f"migration is newer, so they will be out of order there: push them with "
            f"`pgalign push {target.flag} --include-all`"
        )
    if not plan:
        return PullResult((), plan, not history, warnings)
    baseline = not history
    header = (BASELINE_HEADER if baseline else HEADER).format(env=target.name)
    paths: list[Path] = []
    for suffix, part in _parts(plan):
        # each new file must come after the one just written
        folder = load_directory(project.migrations_dir) if paths else directory
        path = new_migration(folder, name + suffix)
        path.write_text(header + "\n" + part.sql(), encoding="utf-8")
        paths.append(path)
    return PullResult(tuple(paths), plan, baseline, warnings)


def _parts(plan: Plan) -> list[tuple[str, Plan]]:
    """The migration files a plan becomes. New enum labels cannot be used in the
    transaction that adds them, and push runs each file in one transaction: when the plan
    also has other statements, the labels get a file of their own, first."""
    first, main = plan.first_transaction, plan.main_transaction
    if not first or not main:
        return [("", plan)]
    return [("_enum_labels", Plan(first, ())), ("", Plan(main, plan.changes))]


def record_pulled(project: Project, target: Target, path: Path) -> None:
    """Mark the captured migration as applied on the environment it came from."""
    migration = next(f for f in load_directory(project.migrations_dir).files if f.path == path)
    statements = migration.recorded_statements()
    with connect(target.url, application_name="pgalign pull") as conn, conn.transaction():
        ensure_history_table(conn)
        record_applied(conn, migration.version, migration.name, statements)
