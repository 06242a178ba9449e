"""`pgalign pull --env E`: turn an environment's drift into a migration."""

from __future__ import annotations

import click

from pgalign.cli import common
from pgalign.cli.output import interactive, warn


@click.command("pull")
@common.env_option
@common.db_url_option
@click.option("--name", default="remote_schema", help="Name of the new migration.")
@common.yes_option
def pull(env: str | None, db_url: str | None, name: str, yes: bool) -> None:
    """Write a migration capturing the environment's drift and record it as applied there.

    With no migration history on the environment, the migration is a baseline of its
    whole schema. Recording asks for confirmation (or --yes).
    """
    from pgalign.cli.output import err, out
    from pgalign.pull import capture, record_pulled

    proj = common.project()
    directory = common.directory(proj)
    tgt = common.target(proj, env, db_url)
    with err.status(f"comparing {tgt.name} with its migrations", spinner="dots"):
        result = capture(proj, directory, tgt, name)
    for line in result.warnings:
        warn(line)
    if not result.paths:
        out.print(f"{tgt.name} has no drift: nothing to pull")
        return
    kind = (
        "baseline of the whole schema"
        if result.baseline
        else f"{len(result.plan.changes)} change(s)"
    )
    for path in result.paths:
        relative = path.relative_to(proj.root) if path.is_relative_to(proj.root) else path
        out.print(f"wrote {relative} ({kind})", markup=False)
    if len(result.paths) > 1:
        out.print(
            "new enum labels are in a file of their own: they must be committed before use",
            markup=False,
        )
    versions = " ".join(path.name.split("_", 1)[0] for path in result.paths)
    names = ", ".join(path.name for path in result.paths)
    record_command = f"pgalign migration repair {versions} --status applied {tgt.flag}"
    if not yes:
        if not interactive():
            err.print(
                f"not recorded on {tgt.name} (no terminal to confirm); to record it run: "
                f"{record_command}",
                markup=False,
            )
            return
        if not click.confirm(f"record {names} as applied on {tgt.name}?", default=True):
            err.print(f"not recorded; to record it later run: {record_command}", markup=False)
            return
    for path in result.paths:
        record_pulled(proj, tgt, path)
    out.print(f"recorded {versions} as applied on {tgt.name}")
