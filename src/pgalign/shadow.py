"""Replay migrations into a throwaway database: the schema the migrations say there should be.

Replays are cached as template databases keyed by a hash chain over the bootstrap and each
migration's statements, so a replay whose migrations are unchanged costs nothing, and one
that adds migrations starts from the longest cached prefix. Shadow databases live on the
project's embedded server, on a Debian server when only that one has the extensions the
migrations need, or on `shadow_url` when configured.
"""

from __future__ import annotations

import hashlib
import subprocess
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import psycopg
from pglast import ast

from pgalign.config import Project
from pgalign.connect import connect
from pgalign.errors import MigrationFailed, ServerError
from pgalign.migrations.executor import Applicable, apply_migration
from pgalign.migrations.history import ensure_history_table
from pgalign.migrations.statements import parse_tree
from pgalign.server import Cluster, Installation, embedded_installation, system_installations
from pgalign.sql import ident
from pgalign.targets import LOCAL_PASSWORD, ensure_local_server, server_data_dir

# What every Supabase project has in `extensions` (the bootstrap creates them where it can).
SUPABASE_DEFAULT_EXTENSIONS = frozenset({"uuid-ossp", "pgcrypto", "pg_stat_statements"})
TEMPLATE_PREFIX = "pgalign_tpl_"
WORK_PREFIX = "pgalign_shadow_"
KEEP_TEMPLATES = 24
CACHE_FORMAT = "pgalign-shadow-1"


@dataclass(frozen=True)
class ShadowHost:
    """A server on which pgalign may create and drop databases."""

    admin_url: str
    description: str

    def url(self, dbname: str) -> str:
        return psycopg.conninfo.make_conninfo(self.admin_url, dbname=dbname)

    def admin(self) -> psycopg.Connection[tuple[object, ...]]:
        return connect(self.admin_url, autocommit=True, application_name="pgalign shadow")


def required_extensions(migrations: Sequence[Applicable], bootstrap: str | None = None) -> set[str]:
    """Extensions that the bootstrap and the migrations create."""
    texts = [s.text for m in migrations for s in m.statements if s.kind == "CreateExtensionStmt"]
    if bootstrap:
        texts.append(bootstrap)
    names: set[str] = set()
    for text in texts:
        for raw in parse_tree(text):
            if isinstance(raw.stmt, ast.CreateExtensionStmt) and raw.stmt.extname:
                names.add(raw.stmt.extname)
    return names


@cache
def extensions_of(installation: Installation) -> set[str]:
    sharedir = subprocess.run(
        [str(installation.tool("pg_config")), "--sharedir"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    folder = Path(sharedir) / "extension"
    return {path.stem for path in folder.glob("*.control")} if folder.is_dir() else set()


def shadow_host(
    project: Project,
    needs: set[str],
    major: int | None = None,
    prefer: frozenset[str] = frozenset(),
) -> ShadowHost:
    """Where to replay: `shadow_url`, else a local server with the extensions in `needs`.

    A server of the same `major` version as the environment is preferred, so catalog
    text the server prints (view and function definitions) compares like with like; then
    one that has the extensions in `prefer` (what the platform installs by default).
    """
    if project.shadow_url:
        return ShadowHost(project.shadow_url, "shadow_url")
    embedded = embedded_installation()
    candidates = [embedded, *system_installations()]
    candidates.sort(
        key=lambda inst: (
            major is not None and inst.major != major,
            bool(prefer - extensions_of(inst)),
        )
    )
    for installation in candidates:
        if needs - extensions_of(installation):
            continue
        if installation is embedded:
            cluster = ensure_local_server(project)
        else:
            data = server_data_dir(project, f"shadow-{installation.major}")
            cluster = Cluster(installation, data, LOCAL_PASSWORD)
            cluster.start()
        return ShadowHost(cluster.url(), f"{installation.kind} PostgreSQL {installation.version}")
    names = ", ".join(sorted(needs - extensions_of(embedded)))
    raise ServerError(
        f"the migrations create extension(s) {names}, which the embedded PostgreSQL "
        f"{embedded.version} does not ship and no local PostgreSQL server has",
        'set shadow_url = "postgresql://..." in pgalign.toml to a server that has them '
        "(ideally the same major version as production), or install Debian's postgresql",
    )


def _chain(bootstrap: str | None, migrations: Sequence[Applicable]) -> list[str]:
    digest = hashlib.sha256(f"{CACHE_FORMAT}\0{bootstrap or ''}".encode())
    chain = [digest.hexdigest()]
    for migration in migrations:
        digest = hashlib.sha256(chain[-1].encode())
        digest.update(migration.version.encode() + b"\0")
        for text in migration.recorded_statements():
            digest.update(text.encode() + b"\0")
        chain.append(digest.hexdigest())
    return chain


def _template_name(link: str) -> str:
    return TEMPLATE_PREFIX + link[:32]


@dataclass(frozen=True)
class Shadow:
    """A replayed database. It is a cache entry: inspect it, never change it."""

    host: ShadowHost
    dbname: str
    replayed: int  # migrations replayed now (0: all came from the cache)

    @property
    def url(self) -> str:
        return self.host.url(self.dbname)


def replay(host: ShadowHost, migrations: Sequence[Applicable], bootstrap: str | None) -> Shadow:
    """The database that `migrations`, in order, produce after `bootstrap`."""
    chain = _chain(bootstrap, migrations)
    with host.admin() as admin:
        rows = admin.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", (TEMPLATE_PREFIX + "%",)
        ).fetchall()
        cached = {str(row[0]) for row in rows}
        done = next(
            (i for i in range(len(chain) - 1, -1, -1) if _template_name(chain[i]) in cached), None
        )
        if done == len(chain) - 1:
            return Shadow(host, _template_name(chain[-1]), 0)
        work = WORK_PREFIX + uuid.uuid4().hex[:12]
        source = _template_name(chain[done]) if done is not None else "template0"
        _create_from(admin, work, source)
    try:
        with connect(host.url(work), autocommit=True, application_name="pgalign shadow") as conn:
            if done is None:
                if bootstrap:
                    conn.execute(bootstrap)
                with conn.transaction():
                    ensure_history_table(conn)
            for migration in migrations[done or 0 :]:
                apply_migration(conn, migration, host.admin_url)
    except MigrationFailed as exc:
        _drop(host, work)
        raise MigrationFailed(
            f"replay in the shadow database failed: {exc.message}", exc.hint, exc.version
        ) from None
    except BaseException:
        _drop(host, work)
        raise
    final = _template_name(chain[-1])
    with host.admin() as admin:
        try:
            admin.execute(f"ALTER DATABASE {ident(work)} RENAME TO {ident(final)}")
        except psycopg.errors.DuplicateDatabase:  # another process cached the same replay
            admin.execute(f"DROP DATABASE {ident(work)}")
        _prune(admin, keep={final})
    return Shadow(host, final, len(migrations) - (done or 0))


def _create_from(admin: psycopg.Connection[tuple[object, ...]], name: str, template: str) -> None:
    # A template that is being inspected by another process cannot be copied: retry briefly.
    for attempt in range(50):
        try:
            admin.execute(f"CREATE DATABASE {ident(name)} TEMPLATE {ident(template)}")
            return
        except psycopg.errors.ObjectInUse:
            if attempt == 49:
                raise
            time.sleep(0.1)


def _drop(host: ShadowHost, name: str) -> None:
    with host.admin() as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {ident(name)} WITH (FORCE)")


def _prune(admin: psycopg.Connection[tuple[object, ...]], keep: set[str]) -> None:
    rows = admin.execute(
        "SELECT datname FROM pg_database WHERE datname LIKE %s ORDER BY oid DESC",
        (TEMPLATE_PREFIX + "%",),
    ).fetchall()
    for (name,) in rows[KEEP_TEMPLATES:]:
        if name not in keep:
            admin.execute(f"DROP DATABASE IF EXISTS {ident(str(name))} WITH (FORCE)")


def clone(shadow: Shadow) -> str:
    """A writable copy of a shadow database; the caller drops it with `drop_clone`."""
    name = WORK_PREFIX + uuid.uuid4().hex[:12]
    with shadow.host.admin() as admin:
        _create_from(admin, name, shadow.dbname)
    return name


def drop_clone(host: ShadowHost, name: str) -> None:
    _drop(host, name)
