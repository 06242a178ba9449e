"""The harness itself: every server found really runs, and databases are isolated."""

from __future__ import annotations

from tests.conftest import PgServer, execute, query


def test_server_answers_with_its_version(pg: PgServer, db: str) -> None:
    (version,) = query(db, "SHOW server_version_num")[0]
    assert int(str(version)) == pg.version_num
    assert pg.version_num >= 150000


def test_each_test_gets_an_empty_database(pg: PgServer, db: str) -> None:
    execute(db, "CREATE TABLE t (x int)")
    other = pg.create_database()
    assert query(other, "SELECT count(*) FROM pg_class WHERE relname = 't'") == [(0,)]
