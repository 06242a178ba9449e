"""`pgalign db reset`."""

from __future__ import annotations

from typing import Annotated

import typer

from pgalign.cli import common
from pgalign.cli.output import err, interactive, out

app = typer.Typer(help="Rebuild a database from the migrations.", no_args_is_help=True)


@app.command("reset")
def reset_(
    env: Annotated[
        str | None, typer.Option("--env", "-e", help="Environment to reset (default: local).")
    ] = None,
    db_url: common.DbUrlOption = None,
    version: Annotated[
        str | None, typer.Option("--version", help="Replay migrations up to this version only.")
    ] = None,
    no_seed: Annotated[
        bool, typer.Option("--no-seed", help="Do not run supabase/seed.sql.")
    ] = False,
    yes: common.YesOption = False,
) -> None:
    """Drop the user's schemas, replay the migrations (up to --version) and the seed.

    Platform schemas (auth, storage, extensions) stay. Defaults to the local embedded
    database; any other database needs --env or --db-url and confirmation.
    """
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
        if not typer.confirm(
            f"drop every user schema of {tgt.name} and rebuild it?", default=False
        ):
            err.print("aborted, nothing changed")
            raise typer.Exit(1)
    seed = None if no_seed else proj.seed_file
    with err.status(f"resetting {tgt.name}", spinner="dots") as spinner:
        # The local embedded database's auth and storage are pgalign's stand-ins: rebuilt too,
        # so a seed that creates users runs again. A real platform's are never touched.
        rebuild = local and proj.is_supabase
        result = reset(proj, tgt, migrations, seed, spinner.update, rebuild)
    how = "in one transaction" if result.atomic else "migration by migration"
    seeded = ", seeded" if result.seeded else ""
    out.print(f"{tgt.name}: reset, {len(result.applied)} migration(s) applied {how}{seeded}")
