"""`pgalign local start|stop|status`: the project's embedded PostgreSQL server."""

from __future__ import annotations

import click

from pgalign.cli import common
from pgalign.cli.output import print_json, write


@click.group("local", cls=common.Group)
def group() -> None:
    """The project's embedded PostgreSQL server (data under .pgalign/)."""


@group.command("start")
def start() -> None:
    """Start the embedded server if needed and print its URL (password masked: `postgres`)."""
    from pgalign.connect import mask_url
    from pgalign.targets import ensure_local_server

    cluster = ensure_local_server(common.project())
    write(mask_url(cluster.url()) + "\n")


@group.command("stop")
def stop() -> None:
    """Stop the embedded server; its data stays under .pgalign/local."""
    from pgalign.targets import local_cluster

    cluster = local_cluster(common.project())
    running = cluster.is_running()
    cluster.stop()
    write("stopped\n" if running else "not running\n")


@group.command("status")
@common.json_option
def status(as_json: bool) -> None:
    """Say whether the embedded server runs, and where (password masked)."""
    from pgalign.connect import mask_url
    from pgalign.targets import local_cluster

    cluster = local_cluster(common.project())
    running = cluster.is_running()
    url = mask_url(cluster.url()) if running else None
    if as_json:
        print_json({"running": running, "url": url, "data_dir": str(cluster.data_dir)})
    else:
        write(f"running at {url}\n" if running else "not running\n")
