"""The `pgalign` command: global options, sub-commands, and errors as one line with exit 2."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import psycopg
import typer
from rich.markup import escape

from pgalign import __version__
from pgalign.cli import common, db, guard, local, migration, platform, status
from pgalign.cli.demo import demo
from pgalign.cli.diff import diff
from pgalign.cli.lint import lint
from pgalign.cli.output import err
from pgalign.cli.pull import pull
from pgalign.cli.push import push
from pgalign.errors import PgalignError

app = typer.Typer(
    name="pgalign",
    help="Keep PostgreSQL and Supabase databases aligned across environments.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(migration.app, name="migration")
app.add_typer(local.app, name="local")
app.add_typer(guard.app, name="guard")
app.add_typer(db.app, name="db")
app.add_typer(platform.app, name="platform")
app.command("demo")(demo)
app.command("push")(push)
app.command("diff")(diff)
app.command("pull")(pull)
app.command("status")(status.status)
app.command("check")(status.check)
app.command("fingerprint")(status.fingerprint)
app.command("lint")(lint)


def _version(value: bool) -> None:
    if value:
        print(f"pgalign {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    workdir: Annotated[
        Path | None,
        typer.Option("--workdir", help="Project directory (default: found from the current one)."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Keep PostgreSQL and Supabase databases aligned across environments.

    Exit status: 0 success, 1 problems found (checks, differences), 2 error.
    """
    common.State.workdir = workdir


def run(argv: list[str] | None = None) -> int:
    """Run one command line and return its exit status (tests call this in-process)."""
    try:
        app(args=argv, prog_name="pgalign")  # standalone: usage errors exit 2 by themselves
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except PgalignError as exc:
        err.print(f"[red]error:[/red] {escape(exc.one_line())}", markup=True, highlight=False)
        for detail in exc.details:
            err.print(f"  {detail}", markup=False)
        return 2
    except psycopg.Error as exc:
        # A database error no command anticipated: still one line, never a traceback.
        from pgalign.connect import error_line

        err.print(f"[red]error:[/red] database error: {escape(error_line(exc))}", markup=True)
        return 2
    except KeyboardInterrupt:
        err.print("interrupted")
        return 130
    return 0


def main() -> None:
    sys.exit(run())
