"""Options and helpers shared by commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pgalign.cli.output import err, interactive, warn
from pgalign.config import Project, load_project
from pgalign.errors import ConfigError
from pgalign.migrations.directory import MigrationDir, load_directory
from pgalign.targets import Target, resolve_target

EnvOption = Annotated[
    str | None, typer.Option("--env", "-e", help="Environment name from pgalign.toml.")
]
DbUrlOption = Annotated[
    str | None,
    typer.Option("--db-url", help="PostgreSQL URL to use instead of a named environment."),
]
YesOption = Annotated[
    bool, typer.Option("--yes", "-y", help="Confirm writes to a protected environment (for CI).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


class State:
    workdir: Path | None = None


def project() -> Project:
    return load_project(State.workdir)


def directory(proj: Project, quiet: bool = False) -> MigrationDir:
    found = load_directory(proj.migrations_dir)
    if not quiet:
        for warning in found.warnings:
            warn(warning)
    return found


def target(proj: Project, env: str | None, db_url: str | None) -> Target:
    return resolve_target(proj, env, db_url)


def confirm_write(tgt: Target, action: str, yes: bool) -> None:
    """Writes to a protected environment need an interactive yes or --yes."""
    if not tgt.protected or yes:
        return
    if not interactive():
        raise ConfigError(
            f"{tgt.name} is protected and no terminal is attached to confirm {action}",
            "pass --yes to confirm",
        )
    err.print(f"{tgt.name} is a protected environment.")
    if not typer.confirm(f"{action} on {tgt.name}?", default=False):
        raise typer.Exit(1)
