"""Load two schemas, diff, apply the plan to the source in one transaction, diff again."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import psycopg
from psycopg import conninfo

from pgalign.catalog.inspect import inspect
from pgalign.catalog.model import Catalog
from pgalign.catalog.scope import Scope
from pgalign.diff import Plan, Statement, diff
from pgalign.sql import ident
from tests.conftest import PgServer

TEST_ROLES = ("schemainspect_test_role",)


def ensure_roles(admin_url: str) -> None:
    """Roles are cluster-wide: create the ones fixtures grant to, once, idempotently."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        for role in TEST_ROLES:
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
            if not exists:
                with suppress(psycopg.errors.DuplicateObject):
                    conn.execute(f"CREATE ROLE {ident(role)}")


@contextmanager
def databases(pg: PgServer) -> Iterator[DatabaseMaker]:
    maker = DatabaseMaker(pg)
    try:
        yield maker
    finally:
        maker.drop_all()


class DatabaseMaker:
    """Fresh databases on one server: loaded from SQL, or copied from another one."""

    def __init__(self, pg: PgServer) -> None:
        self.pg = pg
        self.names: list[str] = []

    def create(self, sql: str = "", template: str = "template0") -> str:
        name = f"d_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.pg.admin_url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {ident(name)} TEMPLATE {ident(template)}")
        self.names.append(name)
        url = self.pg.url(name)
        if sql.strip():
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(sql)  # type: ignore[arg-type]
        return url

    def copy(self, url: str) -> str:
        return self.create(template=str(conninfo.conninfo_to_dict(url)["dbname"]))

    def drop_all(self) -> None:
        with psycopg.connect(self.pg.admin_url, autocommit=True) as conn:
            for name in self.names:
                conn.execute(f"DROP DATABASE IF EXISTS {ident(name)} WITH (FORCE)")
        self.names.clear()


def apply(url: str, plan: Plan) -> None:
    """Run the plan: what must be committed first in one transaction, the rest in another."""
    for batch in (plan.first_transaction, plan.main_transaction):
        _apply_batch(url, plan, batch)


def _apply_batch(url: str, plan: Plan, batch: tuple[Statement, ...]) -> None:
    with psycopg.connect(url) as conn, conn.transaction():
        for stmt in batch:
            try:
                conn.execute(stmt.sql)  # type: ignore[arg-type]
            except psycopg.Error as exc:
                raise AssertionError(f"{stmt.sql}\nfailed: {exc}\nplan:\n{plan.sql()}") from exc


def assert_converges(source_url: str, target: Catalog, scope: Scope) -> Plan:
    """Diff the source database to `target`, apply, and check nothing is left to do."""
    before = inspect(source_url, scope=scope)
    plan = diff(before, target)
    apply(source_url, plan)
    after = inspect(source_url, scope=scope)
    again = diff(after, target)
    assert not again, f"second diff not empty:\n{again.sql()}\nfirst plan:\n{plan.sql()}"
    if after != target:
        differing = [
            (key, after.objects.get(key), target.objects.get(key))
            for key in sorted(set(after.objects) | set(target.objects))
            if after.objects.get(key) != target.objects.get(key)
        ]
        raise AssertionError(f"catalogs differ after the plan: {differing}\nplan:\n{plan.sql()}")
    return plan


def converge(pg: PgServer, source_sql: str, target_sql: str, scope: Scope | None = None) -> Plan:
    """The plan from `source_sql` to `target_sql`, after proving it converges."""
    chosen = scope or Scope()
    with databases(pg) as dbs:
        source = dbs.create(source_sql)
        target = inspect(dbs.create(target_sql), scope=chosen)
        return assert_converges(source, target, chosen)


def converge_and_query(
    pg: PgServer, source_sql: str, target_sql: str, query: str
) -> tuple[Plan, tuple[object, ...] | None]:
    """The plan from `source_sql` to `target_sql`, proven to converge, and the row `query`
    then reads from the source (what became of its data)."""
    with databases(pg) as dbs:
        source = dbs.create(source_sql)
        plan = assert_converges(source, inspect(dbs.create(target_sql)), Scope())
        with psycopg.connect(source) as conn:
            return plan, conn.execute(query).fetchone()  # type: ignore[arg-type]


def reads_as_target(pg: PgServer, source_sql: str, target_sql: str, query: str) -> None:
    """The plan from `source_sql` to `target_sql` converges, and leaves what `query` reads
    (what the catalogs may not hold) as it is in a database made from `target_sql`."""
    _, row = converge_and_query(pg, source_sql, target_sql, query)
    _, wanted = converge_and_query(pg, target_sql, target_sql, query)
    assert row == wanted


def round_trip(
    pg: PgServer, first_sql: str, second_sql: str, scope: Scope | None = None
) -> tuple[Plan, Plan]:
    """Plans first -> second and back, both proven to converge, on one walking database."""
    chosen = scope or Scope()
    with databases(pg) as dbs:
        walker = dbs.create(first_sql)
        first = inspect(walker, scope=chosen)
        second = inspect(dbs.create(second_sql), scope=chosen)
        forth = assert_converges(walker, second, chosen)
        back = assert_converges(walker, first, chosen)
        return forth, back
