"""Index definitions are written from the catalogs for the usual index (indexes.sql); each
must read exactly as pg_get_indexdef prints it, on every server the harness finds."""

from __future__ import annotations

import psycopg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pgalign.catalog.inspect import inspect
from pgalign.catalog.model import Index
from tests.conftest import PgServer, execute

TABLE = (
    'create schema "Odd Schema";'
    " create domain posint as integer check (value > 0);"
    " create type mood as enum ('sad', 'ok');"
    ' create table "Odd Schema"."Odd Table" ('
    '   id bigint, "Odd Col" text, name text collate "C", code varchar(10), at timestamptz,'
    "   doc jsonb, tags text[], n posint, m mood, ts tsvector, flag boolean, u uuid,"
    "   r int4range, p point);"
)
T = '"Odd Schema"."Odd Table"'


def _mismatches(url: str) -> tuple[int, list[tuple[str, str]]]:
    """How many indexes inspection read, and those it read otherwise than the server
    prints them (with inspection's empty search_path)."""
    indexes = [o for o in inspect(url).objects.values() if isinstance(o, Index)]
    wrong = []
    with psycopg.connect(url, options="-c search_path=") as conn:
        for index in indexes:
            row = conn.execute("select pg_get_indexdef(%s::regclass)", (index.qualified,))
            printed = str(row.fetchone()[0])  # type: ignore[index]
            if index.definition != printed:
                wrong.append((index.definition, printed))
    return len(indexes), wrong


def test_each_kind_of_index_reads_as_pg_get_indexdef_prints_it(db: str, pg: PgServer) -> None:
    statements = [
        f"create index plain on {T} (id)",
        f'create index "Two Cols" on {T} ("Odd Col", id)',
        f"create index ordered on {T} (at desc, id asc nulls first, u desc nulls last)",
        f"create index desc_nulls_first on {T} (at desc nulls first)",
        f"create unique index uniq on {T} (id, name)",
        f"create index partial on {T} (at) where flag and id > 10 and m = 'ok'",
        f"create index gin_default on {T} using gin (doc)",
        f"create index gin_path on {T} using gin (doc jsonb_path_ops)",
        f"create index gin_array on {T} using gin (tags)",
        f"create index hashed on {T} using hash (u)",
        f"create index brin_at on {T} using brin (at)",
        f"create index gist_range on {T} using gist (r)",
        f"create index gist_point on {T} using gist (p)",
        f"create index gist_ts_siglen on {T} using gist (ts tsvector_ops (siglen = 100))",
        f'create index other_collation on {T} ("Odd Col" collate "C")',
        f'create index same_collation on {T} (name collate "C")',
        f"create index pattern on {T} (name text_pattern_ops)",
        f"create index on_varchar on {T} (code)",
        f"create index on_domain on {T} (n)",
        f"create index on_enum on {T} (m)",
        f"create index expression on {T} (lower(name), id)",
        f"create index covering on {T} (id) include (name)",
        f"create index filled on {T} (id) with (fillfactor = 70)",
        "create materialized view mv as select 1 as a",
        "create index on_matview on mv (a desc)",
        "create table parted (k int, v text) partition by range (k)",
        "create table parted_1 partition of parted for values from (0) to (10)",
        "create index on_parted on parted (k)",
    ]
    if pg.version_num >= 150000:
        statements.append(f"create unique index nnd on {T} (u) nulls not distinct")
    execute(db, TABLE + ";".join(statements))
    count, wrong = _mismatches(db)
    assert count == len(statements) - 3  # the view and the two tables are not indexes
    assert wrong == []


def test_index_definitions_follow_quote_all_identifiers(db: str) -> None:
    execute(db, TABLE + f"create index plain on {T} (id desc, at) where flag")
    name = psycopg.conninfo.conninfo_to_dict(db)["dbname"]
    execute(db, f'alter database "{name}" set quote_all_identifiers = on')
    count, wrong = _mismatches(db)
    assert count == 1 and wrong == []


# Columns an index may use: (name, collatable, a non-default operator class for btree).
COLUMNS = [
    ("id", False, None),
    ('"Odd Col"', True, "text_pattern_ops"),
    ("name", True, "text_pattern_ops"),
    ("code", True, "varchar_pattern_ops"),
    ("at", False, None),
    ("u", False, None),
    ("n", False, None),
    ("m", False, None),
    ("flag", False, None),
]
PREDICATES = ["flag", "id > 10", "m = 'ok' and at is not null", "n < 5 or code = 'x'"]


@st.composite
def index_columns(draw: st.DrawFn) -> str:
    name, collatable, opclass = draw(st.sampled_from(COLUMNS))
    words = [name]
    if collatable and draw(st.booleans()):
        words.append(draw(st.sampled_from(['collate "C"', 'collate "POSIX"', 'collate "default"'])))
    if opclass and draw(st.booleans()):
        words.append(opclass)
    words.append(draw(st.sampled_from(["", "asc", "desc"])))
    words.append(draw(st.sampled_from(["", "nulls first", "nulls last"])))
    return " ".join(word for word in words if word)


@st.composite
def btree_indexes(draw: st.DrawFn) -> list[str]:
    made = []
    for number in range(draw(st.integers(1, 4))):
        keys = draw(st.lists(index_columns(), min_size=1, max_size=3))
        unique = "unique " if draw(st.booleans()) else ""
        where = draw(st.sampled_from(["", *(f" where {p}" for p in PREDICATES)]))
        made.append(f"create {unique}index i{number} on {T} ({', '.join(keys)}){where}")
    return made


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(statements=btree_indexes())
def test_random_btree_indexes_read_as_pg_get_indexdef_prints_them(
    db: str, statements: list[str]
) -> None:
    # a column may come twice in one index: PostgreSQL allows it
    execute(
        db,
        f'drop schema if exists "Odd Schema" cascade; drop domain if exists posint;'
        f" drop type if exists mood; {TABLE}{';'.join(statements)}",
    )
    count, wrong = _mismatches(db)
    assert count == len(statements)
    assert wrong == []
