"""Out-of-order migrations that need newer ones.

A migration written on a branch keeps its old version after the branch is merged, though
it may use what migrations merged before it made. Pushed with `--include-all` it runs
last and succeeds, but every later replay in version order (a new environment, a shadow,
`db reset`) fails. The fix is to give it a newer version.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pgalign.config import Project
from pgalign.errors import HistoryError, MigrationFailed
from pgalign.expected import ReplayCatalogs, applied_migrations
from pgalign.migrations.directory import MigrationDir, MigrationFile, next_version, version_key
from pgalign.migrations.reconcile import Reconciliation, State


def rename_advice(
    late: MigrationFile, directory: MigrationDir, applied_on: Iterable[str] = ()
) -> str:
    """How to give `late` a version after every other migration, where it is not yet applied
    and where it already is."""
    new = next_version(directory)
    advice = (
        f"if {late.path.name} needs what newer migrations make, give it a newer version: "
        f"rename it to {new}_{late.name}.sql"
    )
    for env in applied_on:
        advice += (
            f"; on {env}, where it is applied, then record the new version with "
            f"`pgalign migration repair {late.version} --status reverted --env {env}` and "
            f"`pgalign migration repair {new} --status applied --env {env}`"
        )
    return advice


def check_version_order(
    project: Project,
    env: str,
    reconciliation: Reconciliation,
    directory: MigrationDir,
    to_apply: Sequence[MigrationFile],
    major: int,
    flag: str,
) -> None:
    """Refuse a push of out-of-order migrations after which `env`'s history would no longer
    replay in version order."""
    out_of_order = set(reconciliation.versions(State.OUT_OF_ORDER))
    late = {m.version: m for m in to_apply if m.version in out_of_order}
    if not late:
        return
    history = [e.applied for e in reconciliation.entries if e.applied is not None]
    after = [*applied_migrations(env, history, directory), *to_apply]
    after.sort(key=lambda migration: version_key(migration.version))
    try:
        ReplayCatalogs(project).shadow_of(after, major, f"{env} after the push")
    except MigrationFailed as exc:
        failed = late.get(exc.version or "")
        hint = (
            rename_advice(failed, directory) + f", then `pgalign push {flag}`"
            if failed is not None
            else "fix the migrations so that they replay in version order, then push again"
        )
        they = "it" if len(late) == 1 else "they"
        raise HistoryError(
            f"cannot push {', '.join(late)} to {env} out of order: {they} would run after "
            "newer migrations there, but a new environment, a shadow or `db reset` replays "
            f"in version order, and that fails: {exc.message}",
            hint,
        ) from None
