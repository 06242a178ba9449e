"""`pgalign push`: apply pending migrations to one environment."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from pgalign.cli import common
from pgalign.cli.output import print_json, warn
from pgalign.errors import HistoryError, MigrationFailed, PgalignError

if TYPE_CHECKING:  # imported when a push runs: psycopg, pglast, the catalog and the differ
    from pgalign.alignment import Drift
    from pgalign.lint import Finding
    from pgalign.migrations.directory import MigrationFile
    from pgalign.migrations.executor import PushPlan, PushSession


@click.command("push")
@common.env_option
@common.db_url_option
@click.option("--dry-run", is_flag=True, help="Show what would be applied; change nothing.")
@click.option(
    "--include-all",
    is_flag=True,
    help="Also apply out-of-order migrations (older than the newest applied).",
)
@common.yes_option
@click.option(
    "--lock-timeout", help="PostgreSQL lock_timeout per statement (default from config: 10s)."
)
@click.option(
    "--statement-timeout", help="PostgreSQL statement_timeout (default from config: 30min)."
)
@click.option("--force", is_flag=True, help="Push even if the environment has drifted (warns).")
@click.option("--no-backup", is_flag=True, help="Skip the schema backup under .pgalign/backups.")
@common.json_option
def push(
    env: str | None,
    db_url: str | None,
    dry_run: bool,
    include_all: bool,
    yes: bool,
    lock_timeout: str | None,
    statement_timeout: str | None,
    force: bool,
    no_backup: bool,
    as_json: bool,
) -> None:
    """Apply pending migrations, each with its history row in one transaction.

    Guarded: the environment's history must match the directory and its schema must match
    its history (no drift; --force overrides). A schema backup is written first, lint
    findings are shown, and afterwards the environment must equal the replay of its history.
    """
    from pgalign.alignment import Drift, drift_of
    from pgalign.backup import backup
    from pgalign.cli.output import err, out
    from pgalign.migrations.executor import PushSession, Timeouts
    from pgalign.version_order import check_version_order

    proj = common.project()
    directory = common.directory(proj, quiet=as_json)
    tgt = common.target(proj, env, db_url)
    timeouts = Timeouts(
        lock_timeout or proj.lock_timeout, statement_timeout or proj.statement_timeout
    )
    with PushSession(tgt.url, tgt.name, timeouts, lock=not dry_run) as session:
        plan = session.plan(directory, tgt.flag, include_all)
        if not plan.migrations:
            _show_plan(plan.migrations, tgt.name, dry_run, as_json)
            return
        findings = _lint(plan.migrations)
        with err.status(f"checking {tgt.name} for drift", spinner="dots"):
            try:
                drift = drift_of(proj, tgt.name, session.conn, directory)
            except PgalignError as exc:
                if not force:
                    raise HistoryError(
                        f"cannot check {tgt.name} for drift: {exc.message}",
                        "fix that, or pass --force to push without the check",
                    ) from None
                warn(f"cannot check {tgt.name} for drift ({exc.message}); pushing anyway (--force)")
                drift = Drift(False)
        _guard_drift(drift, tgt.name, tgt.flag, force)
        major = session.conn.info.server_version // 10000
        check_version_order(
            proj, tgt.name, plan.reconciliation, directory, plan.migrations, major, tgt.flag
        )
        if dry_run:
            _show_plan(plan.migrations, tgt.name, dry_run, as_json, findings)
            return
        for finding in findings:  # what a reviewer would flag, before the confirmation
            warn(
                f"{Path(finding.file).name}:{finding.line}: {finding.severity.value}: "
                f"{finding.rule}: {finding.message}"
            )
        common.confirm_write(tgt, f"apply {len(plan.migrations)} migration(s)", yes)
        if not no_backup:
            path = backup(proj, tgt)
            err.print(f"backup: {path}", markup=False)
        done = _apply_with_progress(session, plan, as_json)
        try:
            after = drift_of(proj, tgt.name, session.conn, directory)
        except PgalignError as exc:
            warn(f"applied, but could not verify {tgt.name} against its migrations: {exc.message}")
            after = Drift(False)
        known = {(c.kind, c.object, c.change) for c in drift.changes}  # forced past these
        new = [c for c in after.changes if (c.kind, c.object, c.change) not in known]
        if new:
            raise MigrationFailed(
                f"{tgt.name} does not match its migrations after the push: "
                + "; ".join(f"{c.change} {c.kind} {c.object}" for c in new),
                f"inspect with `pgalign status {tgt.flag}`",
            )
    if as_json:
        print_json(
            {"environment": tgt.name, "applied": [_describe(m) for m in done], "dry_run": False}
        )
    else:
        out.print(f"{tgt.name}: applied {len(done)} migration(s)")


def _apply_with_progress(
    session: PushSession, plan: PushPlan, as_json: bool
) -> list[MigrationFile]:
    from rich.progress import BarColumn, Progress, TextColumn

    from pgalign.cli.output import err, out

    if as_json:
        return session.apply(plan)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task("applying", total=len(plan.migrations))

        def advance(migration: MigrationFile, index: int, total: int) -> None:
            progress.update(
                task, completed=index - 1, description=f"applying {migration.path.name}"
            )
            out.print(f"applying {migration.path.name}")

        done = session.apply(plan, advance)
        progress.update(task, completed=len(done))
    return done


def _lint(migrations: list[MigrationFile]) -> list[Finding]:
    from pgalign.lint import lint_migration

    return [finding for migration in migrations for finding in lint_migration(migration)]


def _guard_drift(drift: Drift, target: str, flag: str, force: bool) -> None:
    if not drift.checked or not drift.drifted:
        return
    details = [f"{c.change} {c.kind} {c.object}" for c in drift.changes]
    if force:
        warn(f"{target} has drifted ({'; '.join(details)}); pushing anyway (--force)")
        return
    raise HistoryError(
        f"cannot push to {target}: it has {len(details)} schema change(s) made outside migrations",
        f"capture them with `pgalign pull {flag}` first, or pass --force to push anyway",
        details=details,
    )


def _describe(migration: MigrationFile) -> dict[str, object]:
    from pgalign.migrations.executor import executable

    return {
        "version": migration.version,
        "name": migration.name,
        "file": str(migration.path),
        "statements": [s.text for s in executable(migration)],
    }


def _show_plan(
    migrations: list[MigrationFile],
    target: str,
    dry_run: bool,
    as_json: bool,
    findings: list[Finding] | None = None,
) -> None:
    from pgalign.cli.output import out
    from pgalign.migrations.executor import executable

    findings = findings or []
    if as_json:
        print_json(
            {
                "environment": target,
                "applied": [],
                "dry_run": dry_run,
                "pending": [_describe(m) for m in migrations],
                "lint": [f.as_dict() for f in findings],
            }
        )
        return
    if not migrations:
        out.print(f"{target}: up to date, nothing to push")
        return
    out.print(f"{target}: would apply {len(migrations)} migration(s):")
    for migration in migrations:
        out.print(f"  {migration.path.name}", markup=False)
        mine = [f for f in findings if f.file == str(migration.path)]
        for statement in executable(migration):
            lines = statement.text.splitlines()  # starts with its leading comments
            first = lines[min(statement.line - statement.text_line, len(lines) - 1)].strip()
            out.print(f"    {statement.number}: {first}", markup=False)
            for finding in (f for f in mine if f.line == statement.line):
                out.print(
                    f"       {finding.severity.value}: {finding.rule}: {finding.message}",
                    markup=False,
                )
