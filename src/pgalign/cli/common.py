"""Options and helpers shared by commands.

Command modules import only click and the standard library at the top: each command
imports what it needs (psycopg, pglast, rich, ...) when it runs, so that `pgalign --help`
and `pgalign --version` start in a few hundredths of a second.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from pgalign.cli.output import interactive, warn
from pgalign.errors import ConfigError

F = TypeVar("F", bound=Callable[..., Any])

if TYPE_CHECKING:
    from pgalign.config import Project
    from pgalign.migrations.directory import MigrationDir
    from pgalign.targets import Target

env_option = click.option("--env", "-e", help="Environment name from pgalign.toml.")
db_url_option = click.option(
    "--db-url", help="PostgreSQL URL to use instead of a named environment."
)
yes_option = click.option(
    "--yes", "-y", is_flag=True, help="Confirm writes to a protected environment (for CI)."
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


class Group(click.Group):
    """Sub-commands listed in the order they are defined, each with its whole first sentence."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=sys.maxsize)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


class State:
    workdir: Path | None = None


def format_option(choices: type[StrEnum], default: StrEnum, help: str) -> Callable[[F], F]:
    """`--format`/`-f`, given to the command as `output_format`: one spelling everywhere."""
    return click.option(
        "--format",
        "-f",
        "output_format",
        type=click.Choice(choices),
        default=default,
        help=help,
    )


def project() -> Project:
    from pgalign.config import load_project

    return load_project(State.workdir)


def directory(proj: Project, quiet: bool = False) -> MigrationDir:
    from pgalign.migrations.directory import load_directory

    found = load_directory(proj.migrations_dir)
    if not quiet:
        for warning in found.warnings:
            warn(warning)
    return found


def target(proj: Project, env: str | None, db_url: str | None) -> Target:
    from pgalign.targets import resolve_target

    return resolve_target(proj, env, db_url)


def confirm_write(tgt: Target, action: str, yes: bool) -> None:
    """Writes to a protected environment need an interactive yes or --yes."""
    from pgalign.cli.output import err

    if not tgt.protected or yes:
        return
    if not interactive():
        raise ConfigError(
            f"{tgt.name} is protected and no terminal is attached to confirm {action}",
            "pass --yes to confirm",
        )
    err.print(f"{tgt.name} is a protected environment.")
    if not click.confirm(f"{action} on {tgt.name}?", default=False):
        raise SystemExit(1)
