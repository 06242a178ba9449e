"""`pgalign push`: apply pending migrations to one environment."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn

from pgalign.cli import common
from pgalign.cli.output import err, out, print_json
from pgalign.migrations.directory import MigrationFile
from pgalign.migrations.executor import PushSession, Timeouts, executable


def push(
    env: common.EnvOption = None,
    db_url: common.DbUrlOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be applied; change nothing.")
    ] = False,
    include_all: Annotated[
        bool,
        typer.Option(
            "--include-all",
            help="Also apply out-of-order migrations (older than the newest applied).",
        ),
    ] = False,
    yes: common.YesOption = False,
    lock_timeout: Annotated[
        str | None,
        typer.Option(
            "--lock-timeout",
            help="PostgreSQL lock_timeout per statement (default from config: 10s).",
        ),
    ] = None,
    statement_timeout: Annotated[
        str | None,
        typer.Option(
            "--statement-timeout", help="PostgreSQL statement_timeout (default from config: 30min)."
        ),
    ] = None,
    as_json: common.JsonOption = False,
) -> None:
    """Apply pending migrations, each with its history row in one transaction."""
    proj = common.project()
    directory = common.directory(proj, quiet=as_json)
    tgt = common.target(proj, env, db_url)
    timeouts = Timeouts(
        lock_timeout or proj.lock_timeout, statement_timeout or proj.statement_timeout
    )
    with PushSession(tgt.url, tgt.name, timeouts, lock=not dry_run) as session:
        plan = session.plan(directory, tgt.flag, include_all)
        if dry_run or not plan.migrations:
            _show_plan(plan.migrations, tgt.name, dry_run, as_json)
            return
        common.confirm_write(tgt, f"apply {len(plan.migrations)} migration(s)", yes)
        done = _apply_with_progress(session, plan, as_json)
    if as_json:
        print_json(
            {"environment": tgt.name, "applied": [_describe(m) for m in done], "dry_run": False}
        )
    else:
        out.print(f"{tgt.name}: applied {len(done)} migration(s)")


def _apply_with_progress(session: PushSession, plan: object, as_json: bool) -> list[MigrationFile]:
    from pgalign.migrations.executor import PushPlan

    assert isinstance(plan, PushPlan)
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


def _describe(migration: MigrationFile) -> dict[str, object]:
    return {
        "version": migration.version,
        "name": migration.name,
        "file": str(migration.path),
        "statements": [s.text for s in executable(migration)],
    }


def _show_plan(migrations: list[MigrationFile], target: str, dry_run: bool, as_json: bool) -> None:
    if as_json:
        print_json(
            {
                "environment": target,
                "applied": [],
                "dry_run": dry_run,
                "pending": [_describe(m) for m in migrations],
            }
        )
        return
    if not migrations:
        out.print(f"{target}: up to date, nothing to push")
        return
    out.print(f"{target}: would apply {len(migrations)} migration(s):")
    for migration in migrations:
        out.print(f"  {migration.path.name}")
        for statement in executable(migration):
            first = statement.text.strip().splitlines()
            out.print(f"    {statement.number}: {first[-1] if first else ''}", markup=False)
