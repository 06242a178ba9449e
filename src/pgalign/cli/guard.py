"""`pgalign guard install|uninstall|log`: record DDL not run by pgalign, as it happens."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import click

from pgalign.cli import common
from pgalign.cli.output import interactive, print_json, warn, write
from pgalign.errors import ConfigError

APPLICATION = "pgalign guard"
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


@click.group("guard", cls=common.Group)
def group() -> None:
    """Record DDL not run by pgalign (who, when, what) with an event trigger."""


@group.command("install")
@common.env_option
@common.db_url_option
@common.yes_option
def install(env: str | None, db_url: str | None, yes: bool) -> None:
    """Install (or replace) the event triggers recording every DDL command not run by pgalign.

    Creates schema pgalign_guard with the table ddl_log. PostgreSQL lets only superusers
    create event triggers; on Supabase the postgres role may (supautils).
    """
    from pgalign import guard
    from pgalign.cli.output import out
    from pgalign.connect import connect, describe_target

    proj = common.project()
    tgt = common.target(proj, env, db_url)
    common.confirm_write(tgt, "installing the guard", yes)
    with connect(tgt.url, application_name=APPLICATION) as conn:
        notes = guard.install(conn, f"{tgt.name} ({describe_target(tgt.url)})")
    for note in notes:
        warn(note)
    out.print(
        f"guard installed on {tgt.name}: DDL not run by pgalign is recorded in "
        f"{guard.SCHEMA}.{guard.TABLE}; see `pgalign guard log {tgt.flag}`",
        markup=False,
    )


@group.command("uninstall")
@common.env_option
@common.db_url_option
@click.option("--keep-log", is_flag=True, help="Keep pgalign_guard.ddl_log and what it recorded.")
@common.yes_option
def uninstall(env: str | None, db_url: str | None, keep_log: bool, yes: bool) -> None:
    """Remove the guard: its event triggers and function, and its schema and log.

    The log (pgalign_guard.ddl_log) and all it recorded are deleted unless --keep-log.
    """
    from pgalign import guard
    from pgalign.cli.output import out
    from pgalign.connect import connect, describe_target

    proj = common.project()
    tgt = common.target(proj, env, db_url)
    action = "removing the guard" if keep_log else "removing the guard and deleting its log"
    common.confirm_write(tgt, action, yes)
    with connect(tgt.url, application_name=APPLICATION) as conn:
        removal = guard.uninstall(conn, f"{tgt.name} ({describe_target(tgt.url)})", keep_log)
    if not removal.removed:
        out.print(f"the guard is not installed on {tgt.name}: nothing to remove", markup=False)
        return
    if keep_log:
        out.print(
            f"guard removed from {tgt.name}; its log ({removal.entries} entries) is kept in "
            f"{guard.SCHEMA}.{guard.TABLE}",
            markup=False,
        )
    else:
        out.print(
            f"guard removed from {tgt.name}; its log ({removal.entries} entries) is deleted",
            markup=False,
        )


def parse_since(value: str, now: datetime | None = None) -> datetime:
    """`30m`, `12h`, `7d`, `2w` ago, or an ISO date or time (UTC unless it says otherwise)."""
    text = value.strip()
    match = re.fullmatch(r"(\d+)\s*([smhdw])", text)
    if match:
        amount, unit = int(match.group(1)), match.group(2)
        return (now or datetime.now(UTC)) - timedelta(**{_UNITS[unit]: amount})
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is neither a duration (30m, 12h, 7d, 2w) nor an ISO date or time"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@group.command("log")
@common.env_option
@common.db_url_option
@click.option("--since", help="Only changes since: 30m, 12h, 7d, 2w, or an ISO date/time (UTC).")
@click.option(
    "--limit", "-n", type=click.IntRange(min=1), default=50, help="At most this many entries."
)
@click.option(
    "--object",
    "obj",
    help="Only this object and its parts, e.g. public.notes (also its policies, "
    "triggers, constraints, columns and current indexes).",
)
@common.json_option
def log(
    env: str | None,
    db_url: str | None,
    since: str | None,
    limit: int,
    obj: str | None,
    as_json: bool,
) -> None:
    """List recorded DDL, newest first: when, who, from where, command, object, statement."""
    from rich.markup import escape
    from rich.table import Table

    from pgalign import guard
    from pgalign.cli.output import err, out
    from pgalign.connect import connect, read_only

    after = parse_since(since) if since is not None else None
    proj = common.project()
    tgt = common.target(proj, env, db_url)
    with connect(tgt.url, application_name=APPLICATION) as conn, read_only(conn):
        if not guard.has_log(conn):
            raise ConfigError(
                f"the guard is not installed on {tgt.name}: no DDL is being recorded",
                f"pgalign guard install {tgt.flag}",
            )
        installed = guard.is_installed(conn)
        found = guard.entries(conn, since=after, limit=limit, obj=obj)
    if as_json:
        print_json(
            {
                "environment": tgt.name,
                "installed": installed,
                "entries": [entry.as_dict() for entry in found],
            }
        )
        return
    if not installed:
        err.print(
            f"the guard's event triggers are missing on {tgt.name}: this log is no longer "
            f"updated (reinstall: pgalign guard install {tgt.flag})",
            markup=False,
        )
    if not found:
        matching = " matching the filters" if since or obj else ""
        err.print(f"no DDL recorded on {tgt.name}{matching}", markup=False)
        return
    rows = [
        (
            entry.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            entry.who,
            _origin(entry.application_name, entry.client_addr),
            entry.command_tag,
            entry.object_identity or "-",
            _one_line(entry.statement),
        )
        for entry in found
    ]
    if not interactive():  # one line per entry, tab-separated, for grep and cut
        write("".join("\t".join(row) + "\n" for row in rows))
        return
    table = Table(show_edge=False, pad_edge=False)
    for column in ("at (UTC)", "who", "from", "command", "object"):
        table.add_column(column, no_wrap=column in ("at (UTC)", "command"), overflow="fold")
    table.add_column("statement", overflow="fold", ratio=1)
    for row in rows:
        table.add_row(*(escape(cell) for cell in row))
    out.print(table)


def _origin(application: str | None, client: str | None) -> str:
    parts = [part for part in (application, client) if part]
    return " ".join(parts) if parts else "-"


def _one_line(statement: str | None, width: int = 80) -> str:
    text = " ".join((statement or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"
