"""`pgalign migration new|list|repair|fetch`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pgalign.cli import common
from pgalign.cli.output import print_json, warn
from pgalign.errors import ConfigError, HistoryError

if TYPE_CHECKING:
    from pgalign.config import Project
    from pgalign.migrations.directory import MigrationDir
    from pgalign.migrations.reconcile import Reconciliation
    from pgalign.targets import Target

DIRECTORY_COLUMN = "directory"


@click.group("migration", cls=common.Group)
def group() -> None:
    """Create, list, repair and fetch migrations."""


@group.command("new")
@click.argument("name", help="What the migration does, e.g. create_users.")
def new(name: str) -> None:
    """Create an empty migration file named <UTC timestamp>_<name>.sql."""
    from pgalign.cli.output import out
    from pgalign.migrations.directory import new_migration

    proj = common.project()
    path = new_migration(common.directory(proj), name)
    out.print(str(path.relative_to(proj.root) if path.is_relative_to(proj.root) else path))


def _reconcile_target(directory: MigrationDir, tgt: Target) -> Reconciliation:
    from pgalign.connect import connect, read_only
    from pgalign.migrations.history import read_history
    from pgalign.migrations.reconcile import reconcile

    with connect(tgt.url, application_name="pgalign inspect") as conn, read_only(conn):
        return reconcile(directory, read_history(conn))


def _targets(proj: Project, envs: tuple[str, ...], db_url: str | None) -> list[Target]:
    from pgalign.targets import resolve_environment

    if db_url:
        return [common.target(proj, None, db_url)]
    names = envs or list(proj.environments)
    return [resolve_environment(proj, proj.environment(name)) for name in names]


@group.command("list")
@click.option(
    "--env",
    "-e",
    multiple=True,
    help="Environment to compare (repeatable; default: all configured).",
)
@common.db_url_option
@common.json_option
def list_(env: tuple[str, ...], db_url: str | None, as_json: bool) -> None:
    """One row per migration version, one column per environment, plus the local directory.

    Cells: applied, pending, missing_local, out_of_order, modified. In the directory column
    `applied` means the file is present.
    """
    from rich.table import Table

    from pgalign.cli.output import err, out

    proj = common.project()
    directory = common.directory(proj, quiet=as_json)
    targets = _targets(proj, env, db_url)
    results = {tgt.name: _reconcile_target(directory, tgt) for tgt in targets}
    rows = _rows(proj, directory, results)
    columns = [DIRECTORY_COLUMN, *results]
    if as_json:
        print_json({"environments": columns, "migrations": rows})
        return
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("version")
    table.add_column("name")
    for column in columns:
        table.add_column(column)
    for row in rows:
        status = row["status"]
        assert isinstance(status, dict)
        table.add_row(
            str(row["version"]), str(row["name"] or ""), *(_cell(status.get(c)) for c in columns)
        )
    if not rows:
        err.print(f"no migrations in {directory.path} and none recorded")
        return
    out.print(table)


def _cell(state: str | None) -> str:
    if state is None:
        return "-"
    colour = {"applied": "green", "pending": "cyan", "modified": "red"}.get(state, "yellow")
    return f"[{colour}]{state}[/{colour}]"


def _rows(
    proj: Project, directory: MigrationDir, results: dict[str, Reconciliation]
) -> list[dict[str, object]]:
    from pgalign.migrations.directory import version_key

    files = directory.by_key()
    keys: set[int] = set(files)
    for result in results.values():
        keys.update(version_key(e.version) for e in result.entries)
    entries = {name: {version_key(e.version): e for e in r.entries} for name, r in results.items()}
    rows: list[dict[str, object]] = []
    for key in sorted(keys):
        file = files.get(key)
        status: dict[str, str | None] = {DIRECTORY_COLUMN: "applied" if file else "missing_local"}
        version, name = (file.version, file.name) if file else (str(key), None)
        for env_name, by_key in entries.items():
            entry = by_key.get(key)
            status[env_name] = entry.state.value if entry else None
            if entry is not None and file is None:
                version, name = entry.version, name or entry.name
        rows.append(
            {
                "version": version,
                "name": name,
                "file": str(file.path.relative_to(proj.root))
                if file and file.path.is_relative_to(proj.root)
                else (str(file.path) if file else None),
                "status": status,
            }
        )
    return rows


class RepairStatus(StrEnum):
    applied = "applied"
    reverted = "reverted"


@group.command("repair")
@click.argument("versions", nargs=-1, required=True, help="Versions to mark.")
@click.option(
    "--status", type=click.Choice(RepairStatus), required=True, help="applied or reverted."
)
@common.env_option
@common.db_url_option
@common.yes_option
def repair_(
    versions: tuple[str, ...],
    status: RepairStatus,
    env: str | None,
    db_url: str | None,
    yes: bool,
) -> None:
    """Mark versions as applied (recording the file's statements) or reverted, without running SQL.

    --env (or --db-url) is required: repair never picks a database for you.
    """
    from pgalign.cli.output import out
    from pgalign.migrations.repair import repair

    if not env and not db_url:
        raise ConfigError(
            "migration repair needs --env NAME (or --db-url URL)", "name the environment to repair"
        )
    for version in versions:
        if not version.isdigit():
            raise ConfigError(
                f"invalid version '{version}'", "versions are digits, e.g. 20240101120000"
            )
    proj = common.project()
    directory = common.directory(proj)
    tgt = common.target(proj, env, db_url)
    common.confirm_write(tgt, f"mark {', '.join(versions)} as {status.value}", yes)
    outcome = repair(tgt.url, directory, list(versions), status.value == "applied")
    for line in outcome.notes:
        warn(line)
    out.print(f"{tgt.name}: marked {', '.join(outcome.changed) or 'nothing'} as {status.value}")


@group.command("fetch")
@common.env_option
@common.db_url_option
@click.option(
    "--overwrite",
    is_flag=True,
    help="Also rewrite local files that were modified after being applied.",
)
def fetch(env: str | None, db_url: str | None, overwrite: bool) -> None:
    """Write versions applied on the environment but missing here back to files.

    The files are written from the statements recorded in the history table.
    """
    from pgalign.cli.output import err, out
    from pgalign.migrations.fetch import fetch_missing

    if not env and not db_url:
        raise ConfigError(
            "migration fetch needs --env NAME (or --db-url URL)",
            "name the environment to fetch from",
        )
    proj = common.project()
    directory = common.directory(proj)
    tgt = common.target(proj, env, db_url)
    written, skipped = fetch_missing(tgt.url, directory, overwrite)
    for note in skipped:
        warn(note)
    for path in written:
        out.print(f"wrote {_relative(proj, path)}")
    if not written:
        err.print(f"nothing to fetch from {tgt.name}")
    if skipped:
        raise HistoryError(f"{len(skipped)} version(s) could not be fetched from {tgt.name}")


def _relative(proj: Project, path: Path) -> str:
    return str(path.relative_to(proj.root)) if path.is_relative_to(proj.root) else str(path)


@group.command("squash")
@click.option("--version", help="Squash migrations up to this version (default: all).")
@click.option(
    "--env", "-e", multiple=True, help="Also rewrite this environment's history (repeatable)."
)
@common.yes_option
def squash_(version: str | None, env: tuple[str, ...], yes: bool) -> None:
    """Squash local migrations (up to --version) into one file generated from their replay.

    The new file keeps the newest squashed version. Data statements (INSERT, UPDATE, ...)
    cannot be kept and are listed. Environments named with --env get their history
    rewritten to match; for the others the repair commands are printed.
    """
    from pgalign.cli.output import out
    from pgalign.squash import rewrite_history, squash
    from pgalign.targets import resolve_environment

    proj = common.project()
    directory = common.directory(proj)
    targets = [resolve_environment(proj, proj.environment(name)) for name in env]
    for tgt in targets:
        common.confirm_write(tgt, "rewrite the migration history", yes)
    result = squash(proj, directory, version)
    out.print(
        f"wrote {_relative(proj, result.path)} from {len(result.squashed)} migrations", markup=False
    )
    for line in result.dropped_data:
        warn(f"data statement not kept: {line}")
    for tgt in targets:
        out.print(rewrite_history(tgt.url, tgt.name, result), markup=False)
    if not targets:
        old = " ".join(m.version for m in result.squashed[:-1])
        last = result.squashed[-1].version
        out.print("environments that applied these migrations need their history rewritten:")
        out.print(f"  pgalign migration repair {old} --status reverted --env ENV", markup=False)
        out.print(f"  pgalign migration repair {last} --status applied --env ENV", markup=False)
