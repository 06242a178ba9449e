"""`pgalign demo`: stage a misaligned Supabase project and show what status says about it."""

from __future__ import annotations

from pathlib import Path

import click

from pgalign.cli import common


@click.command("demo")
@click.option(
    "--dir",
    "directory",
    type=click.Path(path_type=Path),
    help="Where to create the demo project (default: a new temp dir).",
)
def demo(directory: Path | None) -> None:
    """Create a Supabase-style project with local and production databases (embedded, no
    Docker) misaligned as real projects get, then run `pgalign status` on it."""
    from pgalign.alignment import collect_status
    from pgalign.cli.output import err, out
    from pgalign.config import load_project
    from pgalign.demo import create_demo
    from pgalign.report.table import render_table

    if directory is not None:
        if directory.exists() and any(directory.iterdir()):
            from pgalign.errors import ConfigError

            raise ConfigError(f"{directory} is not empty", "name a new or empty directory")
        directory.mkdir(parents=True, exist_ok=True)
    with err.status("creating the demo project and its databases", spinner="dots"):
        root = create_demo(directory)
    out.print(f"demo project: {root}", markup=False)
    out.print(
        "local: every migration applied. production: two old migrations archived out of the "
        "directory, the newest migration not deployed, one run by hand in the SQL editor, "
        "and two hot-fixes made by hand.",
        markup=False,
    )
    out.print()
    common.State.workdir = root
    project = load_project(root)
    directory_ = common.directory(project)
    with err.status("checking alignment", spinner="dots") as spinner:
        report = collect_status(project, directory_, list(project.environments), spinner.update)
    out.print(f"$ cd {root} && pgalign status", markup=False)
    render_table(report, out)
    out.print()
    # Leave no server running behind the user's back; commands start it again on demand.
    from pgalign.targets import local_cluster

    local_cluster(project).stop()
    out.print(
        f"Try the fixes in order (cd {root} first; production is protected: add --yes or "
        "confirm), then `pgalign status` again. The demo's embedded server is stopped; "
        "pgalign starts it again when a command needs it.",
        markup=False,
    )
