"""The `pgalign` command: global options, sub-commands, and errors as one line with exit 2.

A command's module is imported only when that command runs or its help is shown, and
each imports its heavy dependencies (psycopg, pglast, rich) in its body:
`pgalign --version` and `pgalign --help` load neither.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from pathlib import Path
from typing import Any

import click

from pgalign import __version__, lifetime
from pgalign.cli import common, output
from pgalign.errors import PgalignError

# Name -> "module:attribute", in the order `pgalign --help` lists them.
COMMANDS = {
    "demo": "pgalign.cli.demo:demo",
    "push": "pgalign.cli.push:push",
    "diff": "pgalign.cli.diff:diff",
    "pull": "pgalign.cli.pull:pull",
    "status": "pgalign.cli.status:status",
    "check": "pgalign.cli.status:check",
    "fingerprint": "pgalign.cli.status:fingerprint",
    "lint": "pgalign.cli.lint:lint",
    "migration": "pgalign.cli.migration:group",
    "local": "pgalign.cli.local:group",
    "guard": "pgalign.cli.guard:group",
    "db": "pgalign.cli.db:group",
    "platform": "pgalign.cli.platform:group",
}


class LazyGroup(common.Group):
    """Sub-commands imported from a name -> "module:attribute" table when first needed."""

    def __init__(self, *args: Any, lazy_commands: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.lazy_commands)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy_commands:
            module, attribute = self.lazy_commands[cmd_name].split(":")
            # __import__ rather than importlib.import_module: `python -X importtime` sees it.
            command = getattr(__import__(module, fromlist=[attribute]), attribute)
            assert isinstance(command, click.Command), self.lazy_commands[cmd_name]
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)


@click.group(
    "pgalign",
    cls=LazyGroup,
    lazy_commands=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "show_default": True},
)
@click.option(
    "--workdir",
    type=click.Path(path_type=Path),
    help="Project directory (default: found from the current one).",
)
@click.version_option(
    __version__, "--version", message="%(prog)s %(version)s", help="Print the version."
)
def cli(workdir: Path | None) -> None:
    """Keep PostgreSQL and Supabase databases aligned across environments.

    Exit status: 0 success, 1 problems found (checks, differences), 2 error.
    """
    if workdir is not None and not workdir.is_dir():
        # a mistyped directory must not become a new project with its own server
        from pgalign.errors import ConfigError

        raise ConfigError(
            f"--workdir {workdir}: no such directory",
            "give the directory of an existing project (or leave --workdir out)",
        )
    common.State.workdir = workdir


class Terminated(SystemExit):
    """SIGTERM (`kill`, a CI job's timeout), raised where the command is: it ends as
    Ctrl-C does, each `with` block closing what it opened (a throwaway server, a
    transaction), where the default action would leave them behind."""

    def __init__(self, *_: object) -> None:
        super().__init__(128 + signal.SIGTERM)


def _terminated(signum: int, frame: object) -> None:
    raise Terminated


def run(argv: list[str] | None = None) -> int:
    """Run one command line and return its exit status (tests call this in-process)."""
    try:
        # Not standalone: usage errors, aborts and interrupts come back here to be shown.
        code = cli.main(args=argv, prog_name="pgalign", standalone_mode=False)
    except SystemExit as exc:
        if isinstance(exc, Terminated):
            output.err.print("terminated")
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except click.ClickException as exc:  # a usage error: the usage, the problem, exit 2
        exc.show()
        return exc.exit_code
    except click.Abort as exc:  # click turns Ctrl-C, and end of input at a prompt, into this
        interrupted = isinstance(exc.__cause__, KeyboardInterrupt)
        output.err.print("interrupted" if interrupted else "Aborted!")
        return 130 if interrupted else 1
    except PgalignError as exc:
        from rich.markup import escape

        output.err.print(
            f"[red]error:[/red] {escape(exc.one_line())}", markup=True, highlight=False
        )
        for detail in exc.details:
            output.err.print(f"  {detail}", markup=False)
        return 2
    except KeyboardInterrupt:
        output.err.print("interrupted")
        return 130
    except Exception as exc:
        # A database error no command anticipated: still one line, never a traceback.
        # (If psycopg was never imported, the error cannot be one of its.)
        psycopg = sys.modules.get("psycopg")
        if psycopg is None or not isinstance(exc, psycopg.Error):
            raise
        from rich.markup import escape

        from pgalign.connect import error_line

        output.err.print(
            f"[red]error:[/red] database error: {escape(error_line(exc))}", markup=True
        )
        return 2
    return code if isinstance(code, int) else 0


def main() -> None:
    # One short-lived process: reference counting frees what it drops, and the cyclic
    # collector's passes over the 10^5 objects of a catalog only cost time (a tenth of a
    # cold diff). Tests, which call run(), keep it.
    gc.disable()
    lifetime.SHORT_LIVED = True
    signal.signal(signal.SIGTERM, _terminated)
    code = run()
    # (the cache writers forked below must not inherit it: nothing of the command is theirs)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # Every file, connection, server and thread was closed by the command's own `with`
    # blocks; freeing each object of the heap one by one before leaving would add a tenth
    # of a warm diff. What was written is flushed, then the process ends.
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a reader that went away (`pgalign diff | head`): nothing to tell it
        pass
    lifetime.finish()  # what could wait until the output was out (cache writers)
    os._exit(code)
