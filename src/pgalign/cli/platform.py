"""`pgalign platform snapshot`."""

from __future__ import annotations

from typing import Annotated

import typer

from pgalign.cli import common
from pgalign.cli.output import out, warn

app = typer.Typer(
    help="The hosting platform's own schemas, as shadow databases see them.", no_args_is_help=True
)


@app.command("snapshot")
def snapshot_(
    env: common.EnvOption = None,
    db_url: common.DbUrlOption = None,
    schema: Annotated[
        list[str] | None,
        typer.Option(
            "--schema",
            help="Platform schema to capture (repeatable; default: auth, storage, extensions).",
        ),
    ] = None,
) -> None:
    """Write the platform schemas of a real environment to supabase/platform.sql.

    Shadow replays then start from it instead of the built-in Supabase stand-ins. Read-only
    on the environment.
    """
    from pgalign.errors import ConfigError
    from pgalign.platform import PLATFORM_SCHEMAS, snapshot

    if not env and not db_url:
        raise ConfigError(
            "platform snapshot needs --env NAME (or --db-url URL)", "name a real environment"
        )
    proj = common.project()
    tgt = common.target(proj, env, db_url)
    result = snapshot(proj, tgt, tuple(schema) if schema else PLATFORM_SCHEMAS)
    for name in result.skipped_extensions:
        warn(f"extension {name} left out: no local PostgreSQL server ships it")
    rel = (
        result.path.relative_to(proj.root) if result.path.is_relative_to(proj.root) else result.path
    )
    out.print(f"wrote {rel} ({result.objects} objects from {tgt.name})", markup=False)
