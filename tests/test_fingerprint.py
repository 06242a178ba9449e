"""Fingerprints: equal for equal schemas whatever the OIDs, creation order or dump/restore."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pgalign.catalog.inspect import inspect
from pgalign.fingerprint import fingerprint
from pgalign.server import find_installations
from tests.conftest import PgServer, execute
from tests.helpers import cli

TYPES = "create type public.mood as enum ('sad', 'happy');"
TABLE_A = "create table public.a (id int primary key, m public.mood, note text default 'x');"
TABLE_B = "create table public.b (id int primary key, a_id int references public.a (id));"
VIEW = "create view public.v as select a.id, b.id as b_id from public.a join public.b on b.a_id = a.id;"
FUNC = "create function public.f(x int) returns int language sql immutable as $$ select x + 1 $$;"


def test_same_schema_built_in_another_order_has_the_same_fingerprint(db_factory: PgServer) -> None:
    first, second = db_factory.create_database(), db_factory.create_database()
    execute(first, TYPES + TABLE_A + TABLE_B + VIEW + FUNC)
    # Other order, plus objects created and dropped so every OID differs.
    execute(second, "create table public.junk (x int);" + FUNC + TYPES + "drop table public.junk;")
    execute(second, TABLE_A.replace("note text default 'x'", "note text") + TABLE_B)
    execute(second, "alter table public.a alter column note set default 'x';" + VIEW)
    assert fingerprint(inspect(first)) == fingerprint(inspect(second))


def test_a_different_schema_has_another_fingerprint(db_factory: PgServer) -> None:
    first, second = db_factory.create_database(), db_factory.create_database()
    execute(first, TYPES + TABLE_A)
    execute(second, TYPES + TABLE_A + "alter table public.a alter column note set default 'y';")
    assert fingerprint(inspect(first)) != fingerprint(inspect(second))


def test_fingerprint_survives_dump_and_restore(
    pg: PgServer, db_factory: PgServer, tmp_path: Path
) -> None:
    installation = next((i for i in find_installations() if i.label == pg.label), None)
    if installation is None:
        pytest.skip("no pg_dump for an external server")
    source, restored = db_factory.create_database(), db_factory.create_database()
    execute(
        source, TYPES + TABLE_A + TABLE_B + VIEW + FUNC + "create index a_note on public.a (note);"
    )
    dump = tmp_path / "dump.sql"
    subprocess.run(
        [
            str(installation.tool("pg_dump")),
            "--schema-only",
            "--no-owner",
            "-f",
            str(dump),
            "-d",
            source,
        ],
        check=True,
    )
    subprocess.run(
        [
            str(installation.tool("psql")),
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-f",
            str(dump),
            "-d",
            restored,
        ],
        check=True,
        capture_output=True,
    )
    assert fingerprint(inspect(source)) == fingerprint(inspect(restored))


def test_fingerprint_command_prints_the_hash(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    execute(db, TYPES + TABLE_A)
    result = cli(capsys, project_dir, "fingerprint", "--db-url", db)
    assert result.code == 0
    assert result.out.strip() == fingerprint(inspect(db))
