"""Status across environments: migration state, drift and fingerprints -> one report.

For an environment E, the expected schema is the shadow replay of exactly the migrations
E's history says were applied (their recorded statements: what really ran there); the
actual schema is E inspected. Their difference is E's drift. Fingerprints are compared
first, so an environment without drift costs no diff.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

from pgalign.catalog.inspect import inspect
from pgalign.catalog.model import Catalog
from pgalign.config import Project
from pgalign.connect import Conn, connect, read_only
from pgalign.diff.compare import diff
from pgalign.drift_detail import describe
from pgalign.errors import MigrationFailed, PgalignError
from pgalign.expected import ReplayCatalogs, applied_migrations
from pgalign.fingerprint import fingerprint
from pgalign.migrations.directory import MigrationDir, MigrationFile, version_key
from pgalign.migrations.executor import Applicable
from pgalign.migrations.history import AppliedMigration, read_history
from pgalign.migrations.objects import DefinitionIndex
from pgalign.migrations.reconcile import Reconciliation, State, reconcile
from pgalign.sql import ident
from pgalign.targets import Target, resolve_environment
from pgalign.version_order import rename_advice

DIRECTORY = "migrations"  # the name of the schema the migration files produce, in reports
ACTION_TO_CHANGE = {"create": "added", "drop": "removed", "alter": "changed", "replace": "changed"}

Progress = Callable[[str], None]


@dataclass(frozen=True)
class DriftChange:
    kind: str
    object: str
    change: str  # added | removed | changed (in the environment, relative to its migrations)
    detail: str
    migration: str | None = None  # the migration that last defined the object, when known
    changed_by: str | None = None  # from `pgalign guard`'s DDL log, when installed
    changed_at: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind,
            "object": self.object,
            "change": self.change,
            "detail": self.detail,
        }
        for key in ("migration", "changed_by", "changed_at"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data

    @property
    def provenance(self) -> str:
        """' (last defined in X; changed by Y at Z)' where known."""
        parts = []
        if self.migration:
            parts.append(f"last defined in {self.migration}")
        if self.changed_by:
            parts.append(f"changed by {self.changed_by} at {self.changed_at}")
        return f" ({'; '.join(parts)})" if parts else ""


@dataclass(frozen=True)
class Drift:
    checked: bool
    changes: tuple[DriftChange, ...] = ()
    reason: str | None = None  # why drift could not be checked
    sql: str = ""  # the statements that would turn the expected schema into the actual one

    @property
    def drifted(self) -> bool:
        return bool(self.changes)


@dataclass(frozen=True)
class PartlyApplied:
    """A pending migration some of whose changes are there, as it makes them, and the rest
    not: what a push leaves when it fails after statements that run outside a transaction
    (CREATE INDEX CONCURRENTLY) committed."""

    version: str
    undo: str  # the statements that take the environment back to its recorded history


@dataclass(frozen=True)
class EnvironmentStatus:
    name: str
    reachable: bool
    error: str | None = None
    error_fix: str | None = None
    server_version: str | None = None
    fingerprint: str | None = None
    reconciliation: Reconciliation | None = None
    drift: Drift = field(default_factory=lambda: Drift(False))
    applied_by_hand: list[str] = field(default_factory=list)  # pending, yet already in the schema
    partly_applied: PartlyApplied | None = None  # the drift is part of a pending migration

    @property
    def has_the_migrations(self) -> bool:
        """Every local migration applied, nothing else, and no drift from their schema."""
        rec = self.reconciliation
        return (
            rec is not None
            and all(entry.state is State.APPLIED for entry in rec.entries)
            and self.drift.checked
            and not self.drift.drifted
        )

    def migrations_dict(self) -> dict[str, Any]:
        rec = self.reconciliation
        if rec is None:
            return {
                "applied": 0,
                "pending": [],
                "missing_local": [],
                "out_of_order": [],
                "modified": [],
                "applied_by_hand": [],
                "partially_applied": [],
            }
        return {
            "applied": rec.applied_count,
            "pending": rec.versions(State.PENDING),
            "missing_local": rec.versions(State.MISSING_LOCAL),
            "out_of_order": rec.versions(State.OUT_OF_ORDER),
            "modified": rec.versions(State.MODIFIED),
            "applied_by_hand": self.applied_by_hand,
            "partially_applied": [self.partly_applied.version] if self.partly_applied else [],
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "reachable": self.reachable,
            "error": self.error,
            "server_version": self.server_version,
            "fingerprint": self.fingerprint,
            "migrations": self.migrations_dict(),
            "drift": {
                "checked": self.drift.checked,
                "drifted": self.drift.drifted,
                "reason": self.drift.reason,
                "changes": [c.as_dict() for c in self.drift.changes],
            },
        }


@dataclass(frozen=True)
class Problem:
    code: str
    environment: str
    message: str
    fix: str

    def as_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "environment": self.environment,
            "message": self.message,
            "fix": self.fix,
        }


@dataclass(frozen=True)
class StatusReport:
    environments: dict[str, EnvironmentStatus]
    problems: list[Problem]
    migrations_fingerprint: str | None  # the schema of every local migration, replayed
    migration_count: int

    @property
    def aligned(self) -> bool:
        return not self.problems

    def same_schema_groups(self) -> list[list[str]]:
        """Environments (and `migrations`) grouped by equal fingerprint. An environment
        that has every local migration and no drift joins `migrations` whatever its
        fingerprint: fingerprints are exact, so two major versions print one schema apart
        (views, MAINTAIN), while drift is checked across those differences."""
        groups: dict[str, list[str]] = {}
        if self.migrations_fingerprint:
            groups.setdefault(self.migrations_fingerprint, []).append(DIRECTORY)
        for name, env in self.environments.items():
            if env.fingerprint and self.migrations_fingerprint and env.has_the_migrations:
                groups[self.migrations_fingerprint].append(name)
            elif env.fingerprint:
                groups.setdefault(env.fingerprint, []).append(name)
        return list(groups.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "aligned": self.aligned,
            "migrations": {
                "files": self.migration_count,
                "fingerprint": self.migrations_fingerprint,
            },
            "environments": {name: env.as_dict() for name, env in self.environments.items()},
            "same_schema": self.same_schema_groups(),
            "problems": [p.as_dict() for p in self.problems],
        }


@dataclass
class _Observed:
    """What one reachable environment told us."""

    target: Target
    history: list[AppliedMigration] | None
    server_version: str
    server_version_num: int
    catalog: Catalog


def collect_status(
    project: Project,
    directory: MigrationDir,
    env_names: Sequence[str],
    progress: Progress | None = None,
) -> StatusReport:
    say = progress or (lambda _message: None)
    statuses: dict[str, EnvironmentStatus] = {}
    observed: dict[str, _Observed] = {}
    targets: dict[str, Target] = {}
    for name in env_names:
        try:
            targets[name] = resolve_environment(project, project.environment(name))
        except PgalignError as exc:
            statuses[name] = EnvironmentStatus(name, False, error=exc.message, error_fix=exc.hint)
    say(f"inspecting {len(targets)} environment(s)")
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = dict(zip(targets, pool.map(_observe_safely, targets.values()), strict=True))
    for name, result in results.items():
        if isinstance(result, PgalignError):
            statuses[name] = EnvironmentStatus(
                name, False, error=result.message, error_fix=result.hint
            )
        else:
            observed[name] = result
    replays = ReplayCatalogs(project, say)
    definitions = DefinitionIndex(directory)
    for name, seen in observed.items():
        status = _environment_status(name, seen, directory, replays, definitions)
        statuses[name] = _with_guard_log(status, seen.target)
    migrations_fp: str | None = None
    replay_error: str | None = None
    misordered: Misordered | None = None
    try:
        # Replayed on the environments' major version, so its fingerprint compares with theirs.
        majors = {seen.server_version_num // 10000 for seen in observed.values()}
        major = majors.pop() if len(majors) == 1 else None
        migrations_fp = fingerprint(replays.catalog_of(directory.files, major, "the directory"))
    except PgalignError as exc:
        replay_error = exc.one_line()
        if isinstance(exc, MigrationFailed):
            misordered = _misordered(exc.version, directory, statuses)
    ordered = {name: statuses[name] for name in env_names}
    problems = _problems(ordered, migrations_fp, replay_error, misordered)
    return StatusReport(ordered, problems, migrations_fp, len(directory.files))


def _with_guard_log(status: EnvironmentStatus, target: Target) -> EnvironmentStatus:
    """Who changed each drifted object, and when, if `pgalign guard` records DDL there."""
    if not status.drift.drifted:
        return status
    from pgalign.guard import last_changes_for

    objects = [(c.kind, c.object) for c in status.drift.changes]
    try:
        with connect(target.url, application_name="pgalign status") as conn, read_only(conn):
            found = last_changes_for(conn, objects)
    except PgalignError:
        return status  # the log is a courtesy: status stands without it
    if not found:
        return status
    changes = tuple(
        replace(c, changed_by=entry.who, changed_at=entry.at.isoformat(timespec="seconds"))
        if (entry := found.get((c.kind, c.object)))
        else c
        for c in status.drift.changes
    )
    return replace(status, drift=replace(status.drift, changes=changes))


def _observe_safely(target: Target) -> _Observed | PgalignError:
    try:
        with connect(target.url, application_name="pgalign status") as conn:
            with read_only(conn):
                history = read_history(conn)
                version = str(conn.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]
            catalog = inspect(conn)
            return _Observed(target, history, version, conn.info.server_version, catalog)
    except PgalignError as exc:
        return exc


def _environment_status(
    name: str,
    seen: _Observed,
    directory: MigrationDir,
    replays: ReplayCatalogs,
    definitions: DefinitionIndex,
) -> EnvironmentStatus:
    reconciliation = reconcile(directory, seen.history)
    actual_fp = fingerprint(seen.catalog)
    major = seen.server_version_num // 10000
    by_hand: list[str] = []
    partly: PartlyApplied | None = None
    try:
        applied = applied_migrations(name, seen.history or [], directory)
        expected = replays.catalog_of(applied, major, name)
        gaps = replays.platform_gaps(expected)
        drift = _drift(expected, seen.catalog, actual_fp, definitions, gaps)
        pending = [e.file for e in reconciliation.entries if e.state is State.PENDING and e.file]
        if drift.drifted and pending:
            found = _applied_by_hand(applied, pending, expected, seen.catalog, replays, major, name)
            if found is not None:
                by_hand = [f.version for f in found[0]]
                drift = _drift(found[1], seen.catalog, actual_fp, definitions, gaps)
            else:
                actual = without_extensions(seen.catalog, expected, gaps)
                partly = _partly_applied(
                    applied, pending[0], expected, actual, drift, replays, major, name
                )
    except PgalignError as exc:
        drift = Drift(False, reason=exc.one_line())
    return EnvironmentStatus(
        name,
        True,
        server_version=seen.server_version,
        fingerprint=actual_fp,
        reconciliation=reconciliation,
        drift=drift,
        applied_by_hand=by_hand,
        partly_applied=partly,
    )


def _partly_applied(
    applied: list[Applicable],
    first_pending: MigrationFile,
    expected: Catalog,
    actual: Catalog,
    drift: Drift,
    replays: ReplayCatalogs,
    major: int,
    name: str,
) -> PartlyApplied | None:
    """`first_pending`, when every drifted object is one it makes, made as it makes it,
    and some of its changes are still missing."""
    try:
        candidate = replays.catalog_of([*applied, first_pending], major, name)
    except PgalignError:
        return None  # its statements do not replay as written: it cannot be compared
    effect = _changed(expected, candidate)
    present = {(change.kind, change.object) for change in drift.changes}  # diff(expected, actual)
    missing = _changed(candidate, actual)
    if not present or not missing or present & missing or not (present | missing) <= effect:
        return None
    undo = diff(actual, expected).statements
    if any(hazard.kind == "deletes_data" for stmt in undo for hazard in stmt.hazards):
        return None  # no undo that loses data is offered as a fix: a pull is safer
    return PartlyApplied(first_pending.version, "; ".join(stmt.sql for stmt in undo))


def _changed(before: Catalog, after: Catalog) -> set[tuple[str, str]]:
    return {(change.kind, change.name) for change in diff(before, after).changes}


def _applied_by_hand(
    applied: list[Applicable],
    pending: list[MigrationFile],
    expected: Catalog,
    actual: Catalog,
    replays: ReplayCatalogs,
    major: int,
    name: str,
) -> tuple[list[MigrationFile], Catalog] | None:
    """The longest run of pending migrations whose every effect is already in `actual`.

    That is what someone running a migration's SQL by hand (a dashboard's SQL editor)
    leaves behind: the schema changed, the history did not.
    """
    for count in range(len(pending), 0, -1):
        candidate = replays.catalog_of([*applied, *pending[:count]], major, name)
        effect = _changed(expected, candidate)
        residual = _changed(candidate, actual)
        if effect and not effect & residual:
            return pending[:count], candidate
    return None


def _drift(
    expected: Catalog,
    actual: Catalog,
    actual_fp: str,
    definitions: DefinitionIndex,
    platform_gaps: frozenset[str] = frozenset(),
) -> Drift:
    if fingerprint(expected) == actual_fp:
        return Drift(True)
    plan = diff(expected, without_extensions(actual, expected, platform_gaps))
    changes = tuple(
        DriftChange(
            kind=change.kind,
            object=change.name,
            change=ACTION_TO_CHANGE.get(change.action, "changed"),
            detail=describe((change.kind, change.name), expected, actual),
            migration=definitions.last_definer(change.kind, change.name),
        )
        for change in plan.changes
    )
    return Drift(True, changes, sql=plan.sql())


def without_extensions(actual: Catalog, expected: Catalog, names: frozenset[str]) -> Catalog:
    """`actual` without the extensions `names` that `expected` lacks: Supabase's defaults a
    shadow server could not create (the embedded one has no uuid-ossp or pgcrypto)."""
    # keys quote a name only where PostgreSQL must (quote_ident): "uuid-ossp", pgcrypto
    spelled = {spelling for name in names for spelling in (name, ident(name))}
    dropped = {("extension", name) for name in spelled} - expected.objects.keys()
    if not dropped & actual.objects.keys():
        return actual
    kept = {key: obj for key, obj in actual.objects.items() if key not in dropped}
    return Catalog(kept, actual.dependencies, actual.server_version)


@dataclass(frozen=True)
class Misordered:
    """A migration that fails to replay where its version puts it, and is out of order on
    some environment: written against migrations merged before it (see version_order)."""

    version: str
    late_on: tuple[str, ...]  # environments where it is out of order
    advice: str


def _misordered(
    version: str | None, directory: MigrationDir, statuses: dict[str, EnvironmentStatus]
) -> Misordered | None:
    file = directory.by_key().get(version_key(version)) if version is not None else None
    if file is None:
        return None
    late_on, applied_on = [], []
    for name, status in statuses.items():
        rec = status.reconciliation
        entry = next((e for e in rec.entries if e.version == file.version), None) if rec else None
        if entry is not None and entry.state is State.OUT_OF_ORDER:
            late_on.append(name)
        elif entry is not None and entry.applied is not None:
            applied_on.append(name)
    if not late_on:
        return None
    return Misordered(file.version, tuple(late_on), rename_advice(file, directory, applied_on))


def _problems(
    environments: dict[str, EnvironmentStatus],
    migrations_fp: str | None,
    replay_error: str | None,
    misordered: Misordered | None = None,
) -> list[Problem]:
    """Every problem with its fix, per environment in the order the fixes must run."""
    problems: list[Problem] = []
    for name, env in environments.items():
        flag = f"--env {name}"
        if not env.reachable:
            problems.append(
                Problem(
                    "unreachable",
                    name,
                    f"{name} is unreachable: {env.error}",
                    (env.error_fix or "check the environment's url and the server")
                    + f", then run `pgalign status {flag}`",
                )
            )
            continue
        problems.extend(_history_problems(name, env, flag))
        problems.extend(_drift_problems(name, env, flag))
        problems.extend(_unapplied_problems(name, env, flag, misordered))
    if migrations_fp is None:
        fix = "fix the failing migration"
        if misordered is not None:
            fix = f"it is out of order on {', '.join(misordered.late_on)}: {misordered.advice}"
        problems.append(
            Problem(
                "replay_failed",
                DIRECTORY,
                f"the migration directory does not replay in a shadow database: {replay_error}",
                f"{fix}, then run status again",
            )
        )
    return problems


def _drift_problems(name: str, env: EnvironmentStatus, flag: str) -> list[Problem]:
    if not env.drift.checked:
        return [
            Problem(
                "drift_unknown",
                name,
                f"drift of {name} could not be checked: {env.drift.reason}",
                "resolve the problems above, then run status again",
            )
        ]
    if not env.drift.drifted:
        return []
    partly = env.partly_applied
    if partly is not None:
        objects = ", ".join(f"{c.kind} {c.object}" for c in env.drift.changes)
        return [
            Problem(
                "partially_applied",
                name,
                f"migration {partly.version} is only partly applied on {name}: {objects} "
                "are there as it makes them, the rest of it is missing (what a push leaves "
                "when it fails after statements that run outside a transaction)",
                f"undo what stayed on {name} with `{partly.undo}`, fix the statement that "
                f"failed if the migration was at fault, then `pgalign push {flag}`",
            )
        ]
    count = len(env.drift.changes)
    return [
        Problem(
            "drift",
            name,
            f"{name} has {count} schema change(s) made outside migrations",
            f"`pgalign pull {flag}` writes them into a new migration and records it "
            f"as applied on {name}; then push that migration to the other environments",
        )
    ]


def _history_problems(name: str, env: EnvironmentStatus, flag: str) -> list[Problem]:
    """Records that do not match the files: fixed before anything is pulled or pushed."""
    rec = env.reconciliation
    if rec is None:
        return []
    found: list[Problem] = []
    missing = rec.versions(State.MISSING_LOCAL)
    if missing:
        found.append(
            Problem(
                "missing_local",
                name,
                f"{len(missing)} migration(s) applied on {name} have no file here: "
                + ", ".join(missing),
                f"`pgalign migration fetch {flag}`",
            )
        )
    modified = rec.versions(State.MODIFIED)
    if modified:
        found.append(
            Problem(
                "modified",
                name,
                f"migration file(s) changed after being applied on {name}: {', '.join(modified)}",
                f"`pgalign migration fetch {flag} --overwrite` restores what ran there",
            )
        )
    if env.applied_by_hand:
        versions = " ".join(env.applied_by_hand)
        found.append(
            Problem(
                "applied_by_hand",
                name,
                f"migration(s) {', '.join(env.applied_by_hand)} are not recorded on {name}, "
                "but their changes are already there (run by hand?)",
                f"`pgalign migration repair {versions} --status applied {flag}`",
            )
        )
    return found


def _unapplied_problems(
    name: str, env: EnvironmentStatus, flag: str, misordered: Misordered | None = None
) -> list[Problem]:
    """Files not yet applied. After a pull they are older than the captured migration,
    so the push must include them out of order; one that needs newer migrations must get
    a newer version instead."""
    rec = env.reconciliation
    if rec is None:
        return []
    after_pull = env.drift.drifted and env.partly_applied is None
    found: list[Problem] = []
    late = rec.versions(State.OUT_OF_ORDER)
    pending = [v for v in rec.versions(State.PENDING) if v not in env.applied_by_hand]
    renamed = misordered.version if misordered is not None and misordered.version in late else None
    kept_late = [v for v in late if v != renamed]
    include_all = " --include-all" if after_pull or kept_late else ""
    if late:
        fix = f"`pgalign push {flag}{include_all}`"
        if renamed is not None:
            fix = (
                f"give {renamed} a newer version first (see the problem of {DIRECTORY}), then {fix}"
            )
        found.append(
            Problem(
                "out_of_order",
                name,
                f"migration(s) older than the newest applied on {name} were never applied: "
                + ", ".join(late),
                fix,
            )
        )
    if pending:
        found.append(
            Problem(
                "pending",
                name,
                f"{len(pending)} migration(s) not yet applied on {name}: {', '.join(pending)}",
                f"`pgalign push {flag}{include_all}`",
            )
        )
    return found


def drift_of(project: Project, name: str, conn: Conn, directory: MigrationDir) -> Drift:
    """One environment's drift, on an open connection (push checks it before and after)."""
    with read_only(conn):
        history = read_history(conn)
    catalog = inspect(conn)
    applied = applied_migrations(name, history or [], directory)
    major = conn.info.server_version // 10000
    replays = ReplayCatalogs(project)
    expected = replays.catalog_of(applied, major, name)
    gaps = replays.platform_gaps(expected)
    return _drift(expected, catalog, fingerprint(catalog), DefinitionIndex(directory), gaps)
