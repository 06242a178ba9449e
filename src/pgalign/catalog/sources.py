"""Where a schema to compare comes from: an environment, a URL, `empty`, or a SQL file.

A SQL file is loaded into a throwaway database on an embedded server (the project's own
when there is a project, else a temporary one), inspected, and dropped.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from pgalign.catalog.model import Catalog, Key
from pgalign.catalog.scope import Scope
from pgalign.config import Project
from pgalign.connect import mask_url
from pgalign.errors import SchemaSourceError

EMPTY = "empty"
# A new database already has these; `empty` keeps them so that they are never dropped.
BUILT_IN: tuple[Key, ...] = (("schema", "public"), ("extension", "plpgsql"))


@dataclass(frozen=True)
class SchemaSource:
    kind: str  # empty, url, env, sql
    value: str

    @property
    def label(self) -> str:
        return mask_url(self.value) if self.kind == "url" else self.value


def parse_source(text: str) -> SchemaSource:
    if text == EMPTY:
        return SchemaSource("empty", text)
    if "://" in text or text.startswith(("postgres:", "postgresql:")) or "=" in text:
        return SchemaSource("url", text)
    if text.endswith(".sql") or Path(text).is_file():
        return SchemaSource("sql", text)
    return SchemaSource("env", text)


def empty_like(other: Catalog) -> Catalog:
    """A new database, shaped after `other`'s server: only what every database has."""
    kept = {key: other.objects[key] for key in BUILT_IN if key in other.objects}
    return Catalog(kept, {}, other.server_version)


def load_catalogs(
    sources: list[SchemaSource], project: Project | None, scope: Scope
) -> list[Catalog]:
    """The catalog of each source, in order; `empty` is made after the other side."""
    from pgalign.catalog.inspect import inspect

    found: dict[int, Catalog] = {}
    with ExitStack() as stack:
        loader: _SqlLoader | None = None
        databases: dict[int, str] = {}
        for index, source in enumerate(sources):
            if source.kind == "empty":
                continue
            if source.kind == "sql":
                if loader is None:
                    loader = stack.enter_context(_sql_loader(project))
                found[index] = loader.catalog(Path(source.value), scope)
            else:
                databases[index] = _url(source, project)
        if len(databases) > 1:
            # Both servers work at once: the wait is the slower side, not the sum.
            with ThreadPoolExecutor(len(databases)) as pool:
                futures = {
                    i: pool.submit(inspect, url, scope=scope) for i, url in databases.items()
                }
                found.update({i: future.result() for i, future in futures.items()})
        else:
            found.update({i: inspect(url, scope=scope) for i, url in databases.items()})
    others = list(found.values())
    for index, source in enumerate(sources):
        if source.kind == "empty":
            found[index] = empty_like(others[0]) if others else Catalog({}, {})
    return [found[index] for index in range(len(sources))]


def _url(source: SchemaSource, project: Project | None) -> str:
    if source.kind == "url":
        return source.value
    if project is None:
        raise SchemaSourceError(f"{source.value} is not a URL, a .sql file or 'empty'")
    from pgalign.targets import resolve_target

    return resolve_target(project, source.value, None).url


class _SqlLoader:
    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url

    def catalog(self, path: Path, scope: Scope) -> Catalog:
        import psycopg

        from pgalign.catalog.inspect import inspect
        from pgalign.connect import connect
        from pgalign.sql import ident

        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise SchemaSourceError(f"cannot read {path}: {exc.strerror}") from None
        name = f"pgalign_diff_{uuid.uuid4().hex[:12]}"
        with connect(self.admin_url, autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {ident(name)} TEMPLATE template0")
        try:
            url = psycopg.conninfo.make_conninfo(self.admin_url, dbname=name)
            with connect(url, autocommit=True) as conn:
                try:
                    conn.execute(text.encode())
                except psycopg.Error as exc:
                    first = str(exc).strip().splitlines()[0] if str(exc).strip() else "error"
                    raise SchemaSourceError(
                        f"{path} failed to load: {first}",
                        "the file must be plain SQL that runs on an empty database",
                    ) from None
                return inspect(conn, scope=scope)
        finally:
            with connect(self.admin_url, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {ident(name)} WITH (FORCE)")


@contextmanager
def _sql_loader(project: Project | None) -> Iterator[_SqlLoader]:
    if project is not None and project.config_file is not None:
        from pgalign.shadow import shadow_host

        host = shadow_host(project, set())
        yield _SqlLoader(host.admin_url)
        return
    from pgalign.server import TemporaryCluster, embedded_installation

    with TemporaryCluster(embedded_installation(), uuid.uuid4().hex) as cluster:
        yield _SqlLoader(cluster.url())
