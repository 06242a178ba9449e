"""Read a Catalog from a database: one set-based query per object kind, in one round trip.

The queries go to the server before the catalog model is imported (build.py builds it):
a first run's server works while the rest of pgalign loads.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pgalign.connect import Conn, connect, read_only

if TYPE_CHECKING:
    from psycopg import Cursor, Pipeline

    from pgalign.catalog.model import Catalog
    from pgalign.catalog.scope import Scope

QUERY_DIR = Path(__file__).parent / "queries"
QUERIES = (
    "roles",
    "schemas",
    "extensions",
    "collations",
    "types",
    "sequences",
    "tables",
    "column_extras",
    "columns",
    "constraints",
    "indexes",
    "statistics",
    "text_search",
    "views",
    "functions",
    "casts_operators",
    "triggers",
    "rules",
    "event_triggers",
    "policies",
    "publications",
    "foreign_servers",
    "default_privileges",
    "dependencies",
)
SETTINGS = (
    "SELECT set_config('search_path', '', true),"
    " set_config('max_parallel_workers_per_gather', '0', true), set_config('jit', 'off', true)"
)
# Read and built first, while the server answers the rest (see _Reading).
FIRST_HALF = QUERIES[: QUERIES.index("columns") + 1]
TUPLE_ROWS = frozenset({"columns", "dependencies"})


@cache
def query_text(name: str) -> str:
    # beside this module (importlib.resources would add its own import time to every run)
    return (QUERY_DIR / f"{name}.sql").read_text("utf-8")


def inspect(
    conn_or_url: Conn | str,
    schemas: Iterable[str] | None = None,
    exclude_schemas: Iterable[str] | None = None,
    *,
    scope: Scope | None = None,
) -> Catalog:
    """The schema of a database, limited to `schemas` (default: all but Supabase's own)
    minus `exclude_schemas`."""
    from pgalign.catalog.scope import Scope

    chosen = scope or Scope.of(schemas, exclude_schemas)
    if isinstance(conn_or_url, str):
        with (
            connect(conn_or_url, application_name="pgalign inspect") as conn,
            snapshot(conn, chosen) as view,
        ):
            return view.catalog()
    with snapshot(conn_or_url, chosen) as view:
        return view.catalog()


class Snapshot:
    """A database seen at one instant: its cache entry's name first (one cheap query),
    then, when asked, its catalog (from the cache, else read)."""

    def __init__(
        self,
        conn: Conn,
        scope: Scope,
        key: str | None,
        preloaded: Catalog | None = None,
        reading: _Reading | None = None,
    ) -> None:
        self.conn = conn
        self.scope = scope
        self.key = key
        self._catalog: Catalog | None = None
        self._reading = reading  # the queries, when they were sent with the stamp
        if preloaded is not None and key is not None:
            from pgalign.catalog import cache

            cache.remember_key(preloaded, key, True)
            self._catalog = preloaded

    def cached_fingerprint(self) -> str | None:
        """The fingerprint stored with the cache entry, when one was ever computed."""
        from pgalign.catalog import cache

        return cache.load_fingerprint(self.key) if self.key is not None else None

    def catalog(self) -> Catalog:
        from pgalign.catalog import cache

        if self._catalog is None:
            found = None
            if self._reading is None and self.key is not None:
                found = cache.load(self.key)
            reused = found is not None
            if found is None:
                reading, self._reading = self._reading, None
                found = reading.catalog() if reading is not None else _read(self.conn, self.scope)
                if self.key is not None:
                    cache.store(self.key, found)
            if self.key is not None:
                cache.remember_key(found, self.key, reused)
            self._catalog = found
        return self._catalog


@contextmanager
def snapshot(conn: Conn, scope: Scope) -> Iterator[Snapshot]:
    """A read-only, repeatable-read transaction on `conn` for the length of the block.

    Everything the server is asked at the start goes in one round trip: the transaction's
    settings, the cache stamp and, when this database has no remembered cache entry, every
    catalog query too (a first run then waits for the server once, not twice)."""
    from psycopg import pq

    from pgalign.catalog import cache

    starts_transaction = conn.info.transaction_status == pq.TransactionStatus.IDLE
    with read_only(conn):
        if starts_transaction:
            # one snapshot for the stamp and every query: the stamp describes what is read
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        last = cache.Pointer(_identity(conn), scope) if _can_stamp(conn) else None
        guess = last.key() if last is not None else None
        preloaded = reading = None
        with conn.pipeline() as pipeline:
            # For this transaction (one statement: SET takes one setting):
            # - empty search_path: every name the server prints comes out schema-qualified;
            # - no parallel workers: the stamp's scans of whole catalogs would start some,
            #   processes that cost more to launch than they save, beside the other side's;
            # - no JIT: a big schema's catalog queries pass jit_above_cost, and compiling
            #   them (on servers built with LLVM, as Debian's and Supabase's are) costs
            #   tens of milliseconds for queries that take a few.
            conn.execute(SETTINGS)
            stamp = None
            if last is not None:
                stamp = conn.execute(cache.stamp_query(conn.info.server_version))
            if guess is None:
                reading = _Reading(conn, scope, pipeline)
            elif cache.load_fingerprint(guess) is None:
                # The entry this database had last time, loaded while the server computes
                # the stamp; used only if the stamp names that same entry. (A catalog whose
                # fingerprint is known may not need loading at all.)
                preloaded = cache.load(guess)
        key = _cache_key(stamp.fetchone(), scope) if stamp is not None else None
        if preloaded is not None and key != guess:
            preloaded = None
        if last is not None and key is not None and key != guess:
            last.set(key)
        yield Snapshot(conn, scope, key, preloaded, reading)


def _can_stamp(conn: Conn) -> bool:
    """Whether the cache is on and this server lets us read the stamp."""
    from pgalign.catalog import cache

    if not cache.enabled():
        return False
    row = conn.execute(cache.CAN_STAMP).fetchone()
    return row is not None and bool(row[0])


def _identity(conn: Conn) -> str:
    """Which database `conn` reached, as the client sees it (no query needed)."""
    info = conn.info
    return f"{info.host}\0{info.port}\0{info.dbname}\0{info.user}"


def _cache_key(stamp: tuple[Any, ...] | None, scope: Scope) -> str | None:
    """The cache entry's name, or None when there is no stamp."""
    from pgalign.catalog import cache

    if stamp is None:
        return None
    return cache.entry_key(stamp, scope, "".join(query_text(name) for name in QUERIES))


Pending = dict[str, "Cursor[Any]"]


def _send(conn: Conn, names: Iterable[str]) -> Pending:
    """Catalog queries, sent in the pipeline `conn` is in."""
    from psycopg.rows import dict_row, tuple_row

    cursors: Pending = {}
    for name in names:
        # the many rows come as plain tuples, in the order of their query
        cur = conn.cursor(row_factory=tuple_row if name in TUPLE_ROWS else dict_row)
        cur.execute(query_text(name).encode(), prepare=False)
        cursors[name] = cur
    return cursors


def _results(cursors: Pending) -> dict[str, list[Any]]:
    return {name: cur.fetchall() for name, cur in cursors.items()}


class _Reading:
    """A catalog read in two halves, in one pipeline: the tables and their columns are
    built while the server still answers the queries for everything else."""

    def __init__(self, conn: Conn, scope: Scope, pipeline: Pipeline) -> None:
        self.conn = conn
        first = _send(conn, FIRST_HALF)
        pipeline.sync()  # the first half's rows are here; the server would now sit idle
        self.rest = _send(conn, QUERIES[len(FIRST_HALF) :])
        from pgalign.catalog.build import Builder  # the model, imported while the server works

        self.builder = Builder.first_half(scope, _results(first))

    def catalog(self) -> Catalog:
        """Once the pipeline has ended: the second half, and the whole catalog."""
        return self.builder.second_half(_results(self.rest), self.conn.info.server_version)


def _read(conn: Conn, scope: Scope) -> Catalog:
    with conn.pipeline() as pipeline:
        reading = _Reading(conn, scope, pipeline)
    return reading.catalog()
