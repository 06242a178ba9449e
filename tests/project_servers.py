"""Stop the project servers (local, shadow-<major>) that tests' projects started.

Commands start a project's embedded server on demand and leave it running, as they should
for a user; a test's projects are thrown away, so their servers and root's data folders
under /var/tmp/pgalign must go with them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from pgalign.targets import OWNER_FILE, ROOT_DATA_BASE, server_of


def stop_project_servers(folder: Path) -> None:
    """Stop every server of a project under `folder`; remove root's data folders of them."""
    if os.geteuid() != 0:
        for data in sorted(folder.rglob(".pgalign/*/data")):
            _stop(data)
        return
    if not ROOT_DATA_BASE.is_dir():
        return
    for owner in ROOT_DATA_BASE.glob(f"*/{OWNER_FILE}"):
        if not Path(owner.read_text()).is_relative_to(folder):
            continue
        for data in sorted(owner.parent.glob("*/data")):
            _stop(data)
        shutil.rmtree(owner.parent, ignore_errors=True)


def _stop(data: Path) -> None:
    if not (data / "PG_VERSION").is_file():
        return  # never initialised: nothing runs there
    cluster = server_of(data)
    if cluster.is_running():
        cluster.stop()
