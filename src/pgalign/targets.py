"""Turn `--env NAME` or `--db-url URL` into a URL to connect to.

`url = "embedded"` means the project's own embedded server under .pgalign/local,
started on demand and left running (stop it with `pgalign local stop`).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from pgalign.config import Environment, Project
from pgalign.connect import mask_url
from pgalign.errors import ConfigError
from pgalign.server import Cluster, embedded_installation, system_installations

LOCAL_PASSWORD = "postgres"  # as the Supabase CLI's local stack
ROOT_DATA_BASE = Path("/var/tmp/pgalign")
OWNER_FILE = "project"  # in a root data folder: the project root it belongs to
SERVER_ID_FILE = "server-id"  # in .pgalign: the name of root's data folder


@dataclass(frozen=True)
class Target:
    name: str
    url: str
    protected: bool
    flag: str  # how to name this target again on the command line, for fix commands

    @property
    def display(self) -> str:
        return self.name


def server_data_dir(project: Project, name: str) -> Path:
    """Where a project's server keeps its data: .pgalign/<name>/data.

    As root the server runs as an unprivileged user, who may not traverse the project's
    parents (/root is 0700); rather than loosen those, root's servers keep their data
    under /var/tmp/pgalign, one folder per project (see `_root_data_folder`).
    """
    if os.geteuid() != 0:
        return project.state_dir / name / "data"
    base = _root_data_folder(project)
    for folder in (ROOT_DATA_BASE, base):
        folder.chmod(0o755)
    return base / name / "data"


def _root_data_folder(project: Project) -> Path:
    """Root's data folder for this project, named by an id kept in the project's .pgalign.

    A folder named after the project's path alone outlived the project: a new project
    created where a deleted one was found the old one's databases. The id dies with the
    project's .pgalign, and the folder records its owner, so a copied .pgalign does not
    share it either.
    """
    base = _existing_root_data_folder(project)
    id_file = project.state_dir / SERVER_ID_FILE
    if base is not None and id_file.is_file():
        return base
    base = base or ROOT_DATA_BASE / secrets.token_hex(8)  # a legacy folder is adopted
    base.mkdir(parents=True, exist_ok=True)
    (base / OWNER_FILE).write_text(str(project.root))
    project.state_dir.mkdir(parents=True, exist_ok=True)
    _ignore_state_dir(project.state_dir)
    id_file.write_text(base.name + "\n")
    return base


def _existing_root_data_folder(project: Project) -> Path | None:
    """Root's data folder for this project if it has one already (nothing is created)."""
    id_file = project.state_dir / SERVER_ID_FILE
    owner = str(project.root)
    if id_file.is_file():
        base = ROOT_DATA_BASE / id_file.read_text().strip()
        if (base / OWNER_FILE).is_file() and (base / OWNER_FILE).read_text() == owner:
            return base
    legacy = ROOT_DATA_BASE / hashlib.sha256(owner.encode()).hexdigest()[:16]
    if not id_file.exists() and _made_for(project, legacy):
        return legacy  # adopted: its owner file is written by _root_data_folder
    return None


def existing_data_dir(project: Project, name: str) -> Path | None:
    """server_data_dir without creating anything: None when root's folder was never made."""
    base = _existing_servers_folder(project)
    return base / name / "data" if base is not None else None


def _existing_servers_folder(project: Project) -> Path | None:
    """The folder holding the project's server folders, if it exists or needs no making."""
    return project.state_dir if os.geteuid() != 0 else _existing_root_data_folder(project)


def project_servers(project: Project) -> dict[str, Cluster]:
    """The project's servers that have data, by name: `local`, and `shadow-<major>` for each
    other major version a replay started (see shadow.shadow_host). Nothing is created."""
    base = _existing_servers_folder(project)
    if base is None:
        return {}
    servers = {}
    for data in sorted(base.glob("*/data")):
        if (data / "PG_VERSION").is_file():
            servers[data.parent.name] = server_of(data)
    return servers


def server_of(data: Path) -> Cluster:
    """The server whose data is `data`, run by an installation of its major version."""
    if data.parent.name == "local":
        return Cluster(embedded_installation(), data, LOCAL_PASSWORD)
    major = int((data / "PG_VERSION").read_text().strip())
    installations = [inst for inst in system_installations() if inst.major == major]
    # none left (the package was removed): the embedded pg_ctl is the one left to try
    installation = installations[0] if installations else embedded_installation()
    return Cluster(installation, data, LOCAL_PASSWORD)


def remove_server_data(project: Project, servers: dict[str, Cluster]) -> list[Path]:
    """Delete the data of `servers` (stopped), and root's folder for the project once it
    holds nothing else. The folders removed, for the user to read."""
    removed = []
    for cluster in servers.values():
        shutil.rmtree(cluster.data_dir.parent)
        removed.append(cluster.data_dir.parent)
    base = _existing_root_data_folder(project) if os.geteuid() == 0 else None
    if base is not None and {p.name for p in base.iterdir()} <= {OWNER_FILE}:
        shutil.rmtree(base)
        (project.state_dir / SERVER_ID_FILE).unlink(missing_ok=True)
    return removed


def local_cluster(project: Project) -> Cluster:
    return Cluster(embedded_installation(), server_data_dir(project, "local"), LOCAL_PASSWORD)


def ensure_local_server(project: Project) -> Cluster:
    """The project's embedded server, running; a Supabase project's is bootstrapped once."""
    cluster = local_cluster(project)
    if not cluster.is_running():
        cluster.data_dir.parent.mkdir(parents=True, exist_ok=True)
        project.state_dir.mkdir(parents=True, exist_ok=True)
        _ignore_state_dir(project.state_dir)
        fresh = not cluster.initialized
        cluster.start()
        if fresh and project.is_supabase:
            from pgalign.connect import connect
            from pgalign.expected import project_bootstrap

            with connect(cluster.url(), autocommit=True) as conn:
                conn.execute(project_bootstrap(project) or "")
    return cluster


def _made_for(project: Project, legacy: Path) -> bool:
    """Whether a folder named after the project's path (before ids) holds this project's data.

    It does when its server was made after the project's .pgalign (whose .gitignore is
    written first); a deleted project's, found at the same path, is older than it.
    """
    marker = project.state_dir / ".gitignore"
    made = legacy / "local" / "data" / "PG_VERSION"
    return marker.is_file() and made.is_file() and marker.stat().st_mtime <= made.stat().st_mtime


def _ignore_state_dir(state_dir: Path) -> None:
    ignore = state_dir / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n")


def _ensure_database(cluster: Cluster, name: str, project: Project) -> None:
    from pgalign.connect import connect

    with connect(cluster.url(), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return
    # A Supabase project's bootstrap lives in `postgres`: copy it so local databases start alike.
    cluster.create_database(name, template="postgres" if project.is_supabase else "template0")


def resolve_environment(project: Project, env: Environment) -> Target:
    if env.is_embedded:
        cluster = ensure_local_server(project)
        url = cluster.url(env.embedded_database)
        if env.embedded_database != "postgres":
            _ensure_database(cluster, env.embedded_database, project)
    else:
        url = env.resolved_url()
    return Target(env.name, url, env.protected, f"--env {env.name}")


def resolve_target(project: Project, env: str | None, db_url: str | None) -> Target:
    if env and db_url:
        raise ConfigError("--env and --db-url name the same thing", "pass one of them")
    if db_url:
        return Target(mask_url(db_url), db_url, False, "--db-url '<url>'")
    if env:
        return resolve_environment(project, project.environment(env))
    raise ConfigError("no database named", "pass --env NAME or --db-url URL")
