"""`pgalign local start|stop|status`: the project's embedded PostgreSQL server."""

from __future__ import annotations

import typer

from pgalign.cli import common
from pgalign.cli.output import out, print_json
from pgalign.connect import mask_url
from pgalign.targets import ensure_local_server, local_cluster

app = typer.Typer(
    help="The project's embedded PostgreSQL server (data under .pgalign/).", no_args_is_help=True
)


@app.command("start")
def start() -> None:
    """Start the embedded server if needed and print its URL (password masked: `postgres`)."""
    cluster = ensure_local_server(common.project())
    out.print(mask_url(cluster.url()), markup=False)


@app.command("stop")
def stop() -> None:
    """Stop the embedded server; its data stays under .pgalign/local."""
    cluster = local_cluster(common.project())
    running = cluster.is_running()
    cluster.stop()
    out.print("stopped" if running else "not running")


@app.command("status")
def status(as_json: common.JsonOption = False) -> None:
    """Say whether the embedded server runs, and where (password masked)."""
    cluster = local_cluster(common.project())
    running = cluster.is_running()
    url = mask_url(cluster.url()) if running else None
    if as_json:
        print_json({"running": running, "url": url, "data_dir": str(cluster.data_dir)})
    else:
        out.print(f"running at {url}" if running else "not running", markup=False)
