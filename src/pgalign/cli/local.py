"""`pgalign local start|stop|status`: the project's embedded PostgreSQL servers."""

from __future__ import annotations

import click

from pgalign.cli import common
from pgalign.cli.output import print_json, write


@click.group("local", cls=common.Group)
def group() -> None:
    """The project's embedded PostgreSQL servers: `local`, and a `shadow-<major>` for each
    other major version a replay needed (`local status --json` says where their data is)."""


@group.command("start")
def start() -> None:
    """Start the embedded server if needed and print its URL (password masked: `postgres`)."""
    from pgalign.connect import mask_url
    from pgalign.targets import ensure_local_server

    cluster = ensure_local_server(common.project())
    write(mask_url(cluster.url()) + "\n")


@group.command("stop")
@click.option(
    "--no-backup",
    is_flag=True,
    help="Also delete the servers' data: every local database is lost, the next start is empty.",
)
def stop(no_backup: bool) -> None:
    """Stop the project's servers (local and shadows); their data stays unless --no-backup."""
    from pgalign.targets import project_servers, remove_server_data

    project = common.project()
    servers = project_servers(project)
    if not servers:
        write("not running\n")
    for name, cluster in servers.items():
        running = cluster.is_running()
        cluster.stop()
        write(f"{name}: {'stopped' if running else 'not running'}\n")
    if no_backup:  # only once every server has stopped
        for folder in remove_server_data(project, servers):
            write(f"removed {folder}\n")


@group.command("status")
@common.json_option
def status(as_json: bool) -> None:
    """Say whether the project's servers run, and where (password masked)."""
    from pgalign.connect import mask_url
    from pgalign.targets import existing_data_dir, project_servers

    project = common.project()
    # read-only: as root, a project that never ran a server has no data folder yet (null)
    data = existing_data_dir(project, "local")
    states: dict[str, dict[str, object]] = {
        "local": {"running": False, "url": None, "data_dir": str(data) if data else None}
    }
    for name, cluster in project_servers(project).items():
        running = cluster.is_running()
        url = mask_url(cluster.url()) if running else None
        states[name] = {"running": running, "url": url, "data_dir": str(cluster.data_dir)}
    if as_json:
        local = states.pop("local")
        print_json({**local, "shadows": states})
        return
    for name, state in states.items():
        shown = f"running at {state['url']}" if state["running"] else "not running"
        write(f"{shown}\n" if name == "local" else f"{name}: {shown}\n")
