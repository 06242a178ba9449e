"""Where a schema to compare comes from: an environment, a URL, `empty`, or a SQL file.

A SQL file is loaded into a throwaway database on an embedded server (the project's own
when there is a project, else a temporary one), inspected, and dropped.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pgalign.connect import mask_url
from pgalign.errors import SchemaSourceError

if TYPE_CHECKING:
    # the model is imported once the servers have their queries (see catalog/inspect.py)
    from pgalign.catalog.inspect import Snapshot
    from pgalign.catalog.model import Catalog, Key
    from pgalign.catalog.scope import Scope
    from pgalign.config import Project

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
    from pgalign.catalog.model import Catalog

    kept = {key: other.objects[key] for key in BUILT_IN if key in other.objects}
    return Catalog(kept, {}, other.server_version)


def load_catalogs(
    sources: list[SchemaSource],
    project: Project | None,
    scope: Scope,
    meanwhile: Callable[[], object] | None = None,
) -> list[Catalog]:
    """The catalog of each source, in order; `empty` is made after the other side.
    `meanwhile` runs while the servers answer (work that would otherwise wait for them)."""
    found = _load(sources, project, scope, stop_if_same=False, meanwhile=meanwhile)
    assert found is not None
    return found


def load_unless_same(
    sources: list[SchemaSource],
    project: Project | None,
    scope: Scope,
    meanwhile: Callable[[], object] | None = None,
) -> list[Catalog] | None:
    """As load_catalogs, or None, having loaded no catalog, when both sources are databases
    whose cached fingerprints are equal (see catalog/cache.py): the same schema."""
    return _load(sources, project, scope, stop_if_same=True, meanwhile=meanwhile)


def remember_same(before: Catalog, after: Catalog) -> None:
    """After a diff found nothing: store one fingerprint for both, when their objects are
    equal, so that the next diff of the two need not load them. Only for catalogs that
    came from the cache: a first, cold diff (as in CI) does not pay for it."""
    from pgalign.catalog import cache
    from pgalign.fingerprint import fingerprint

    keys = [cache.key_of(before), cache.key_of(after)]
    reused = cache.was_reused(before) and cache.was_reused(after)
    if None in keys or not reused or before.objects != after.objects:
        return
    # fingerprint() stores it with before's entry; equal objects give after the same one
    cache.store_fingerprint(str(keys[1]), fingerprint(before))


def _load(
    sources: list[SchemaSource],
    project: Project | None,
    scope: Scope,
    stop_if_same: bool,
    meanwhile: Callable[[], object] | None,
) -> list[Catalog] | None:
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
        if databases:
            # Both servers work at once: the wait is the slower side, not the sum.
            with ThreadPoolExecutor(len(databases)) as pool:
                futures = [pool.submit(_open, url, scope) for url in databases.values()]
                if meanwhile is not None:
                    meanwhile()
                views = []
                failed: BaseException | None = None
                for future in futures:  # each side that opened is closed, whatever failed
                    try:
                        closing, view = future.result()
                    except BaseException as exc:
                        failed = failed or exc
                        continue
                    stack.enter_context(closing)
                    views.append(view)
                if failed is not None:
                    raise failed
                if stop_if_same and len(views) == 2 == len(sources):
                    prints = [view.cached_fingerprint() for view in views]
                    if prints[0] is not None and prints[0] == prints[1]:
                        return None
                catalogs = pool.map(lambda view: view.catalog(), views)
                found.update(zip(databases, catalogs, strict=True))
    others = list(found.values())
    for index, source in enumerate(sources):
        if source.kind == "empty":
            found[index] = empty_like(others[0]) if others else _empty_catalog()
    return [found[index] for index in range(len(sources))]


def _empty_catalog() -> Catalog:
    from pgalign.catalog.model import empty_catalog  # the model, once the servers work

    return empty_catalog()


def _open(url: str, scope: Scope) -> tuple[ExitStack, Snapshot]:
    """A connection to `url` and a snapshot on it; closing the stack ends both."""
    from pgalign.catalog.inspect import snapshot
    from pgalign.connect import connect

    with ExitStack() as stack:
        conn = stack.enter_context(connect(url, application_name="pgalign inspect"))
        view = stack.enter_context(snapshot(conn, scope))
        return stack.pop_all(), view


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
