"""`pgalign platform snapshot`."""

from __future__ import annotations

import click

from pgalign.cli import common
from pgalign.cli.output import warn


@click.group("platform", cls=common.Group)
def group() -> None:
    """The hosting platform's own schemas, as shadow databases see them."""


@group.command("snapshot")
@common.env_option
@common.db_url_option
@click.option(
    "--schema",
    multiple=True,
    help="Platform schema to capture (repeatable; default: auth, storage, extensions).",
)
def snapshot_(env: str | None, db_url: str | None, schema: tuple[str, ...]) -> None:
    """Write the platform schemas of a real environment to supabase/platform.sql.

    Shadow replays then start from it instead of the built-in Supabase stand-ins. Read-only
    on the environment.
    """
    from pgalign.cli.output import out
    from pgalign.errors import ConfigError
    from pgalign.platform import PLATFORM_SCHEMAS, snapshot

    if not env and not db_url:
        raise ConfigError(
            "platform snapshot needs --env NAME (or --db-url URL)", "name a real environment"
        )
    proj = common.project()
    tgt = common.target(proj, env, db_url)
    result = snapshot(proj, tgt, schema or PLATFORM_SCHEMAS)
    for name in result.skipped_extensions:
        warn(f"extension {name} left out: no local PostgreSQL server ships it")
    rel = (
        result.path.relative_to(proj.root) if result.path.is_relative_to(proj.root) else result.path
    )
    out.print(f"wrote {rel} ({result.objects} objects from {tgt.name})", markup=False)
