"""`pgalign db reset`."""

from __future__ import annotations

import click

from pgalign.cli import common
from pgalign.cli.output import interactive


@click.group("db", cls=common.Group)
def group() -> None:
    """Rebuild a database from the migrations."""


@group.command("reset")
@click.option("--env", "-e", help="Environment to reset (default: local).")
@common.db_url_option
@click.option("--version", help="Replay migrations up to this version only.")
@click.option("--no-seed", is_flag=True, help="Do not run supabase/seed.sql.")
@common.yes_option
def reset_(
    env: str | None, db_url: str | None, version: str | None, no_seed: bool, yes: bool
) -> None:
    """Drop the user's schemas, replay the migrations (up to --version) and the seed.

    Platform schemas (auth, storage, extensions) stay. Defaults to the local embedded
    database; any other database needs --env or --db-url and confirmation.
    """
    from pgalign.cli.output import err, out
    from pgalign.errors import ConfigError, MigrationFileError
    from pgalign.reset import migrations_up_to, reset

    proj = common.project()
    directory = common.directory(proj)
    tgt = common.target(proj, env if env or db_url else "local", db_url)
    local = tgt.name == "local" and proj.environment("local").is_embedded
    if version is not None and directory.get(version) is None:
        raise ConfigError(f"no migration with version {version}", "pass an existing version")
    migrations = migrations_up_to(directory.files, version)
    for migration in migrations:
        migration.recorded_statements()  # a broken file fails before anything is dropped
        if not migration.statements:
            raise MigrationFileError(f"{migration.path}: the migration has no SQL statements")
    if not local and not yes:
        if not interactive():
            raise ConfigError(
                f"db reset drops every user schema of {tgt.name}; no terminal to confirm",
                "pass --yes to confirm",
            )
        if not click.confirm(
            f"drop every user schema of {tgt.name} and rebuild it?", default=False
        ):
            err.print("aborted, nothing changed")
            raise SystemExit(1)
    seed = None if no_seed else proj.seed_file
    with err.status(f"resetting {tgt.name}", spinner="dots") as spinner:
        # The local embedded database's auth and storage are pgalign's stand-ins: rebuilt too,
        # so a seed that creates users runs again. A real platform's are never touched.
        rebuild = local and proj.is_supabase
        result = reset(proj, tgt, migrations, seed, spinner.update, rebuild)
    how = "in one transaction" if result.atomic else "migration by migration"
    seeded = ", seeded" if result.seeded else ""
    out.print(f"{tgt.name}: reset, {len(result.applied)} migration(s) applied {how}{seeded}")
