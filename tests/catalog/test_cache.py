"""The catalog cache: an entry is used exactly while the database's catalogs are unchanged."""

from __future__ import annotations

import os
import pickle
import zlib
from pathlib import Path

import pytest
from psycopg import conninfo

from pgalign import lifetime
from pgalign.catalog import cache
from pgalign.catalog.inspect import inspect
from pgalign.catalog.model import Catalog, ForeignServer, Schema, Table
from pgalign.catalog.scope import Scope
from tests.conftest import PgServer, execute
from tests.helpers import cli

BASE = """
do $$ begin create role cache_reader; exception when duplicate_object then null; end $$;
create type mood as enum ('sad', 'ok');
create sequence counter;
create table t (id int primary key, a int default 1, m mood, note text);
create index t_a on t (a);
create view v as select id, a from t;
create function f(x int) returns int language sql as 'select x + 1';
alter table t enable row level security;
create policy p on t for select using (a > 0);
comment on table t is 'the t';
"""

# Each changes what inspection reports; after each, the cache must not answer the old catalog.
CHANGES = {
    "add a column": "alter table t add column b int",
    "change a column type": "alter table t alter column note type varchar(20)",
    "change a default": "alter table t alter column a set default 2",
    "comment on a column": "comment on column t.a is 'the a'",
    "drop a comment": "comment on table t is 'x'; select 1; comment on table t is null",
    "grant": "grant select on t to cache_reader",
    "column grant": "grant update (a) on t to cache_reader",
    "create a policy": "create policy q on t for insert with check (a < 10)",
    "alter a policy": "alter policy p on t using (a > 5)",
    "drop an index": "drop index t_a",
    "replace a function body": "create or replace function f(x int) returns int"
    " language sql as 'select x + 2'",
    "add an enum label": "alter type mood add value 'happy'",
    "rename an enum label": "alter type mood rename value 'ok' to 'fine'",
    "alter a sequence": "alter sequence counter increment by 5",
    "view option": "alter view v set (security_invoker = true)",
    "replace a view": "create or replace view v as select id, a, note from t",
    "force row level security": "alter table t force row level security",
    "default privileges": "alter default privileges grant select on tables to cache_reader",
    "new schema": "create schema other",
    "publication": "create publication pub for table t",
    "foreign table": "create foreign data wrapper w; create server s foreign data wrapper w;"
    " create foreign table ft (a int) server s",
    "rename a column used by a view": "alter table t rename column a to a2",
    # rows of one transaction replaced by rows of another: their hashes must not cancel out
    "rename two columns at once": "alter table t rename column a to a2;"
    " alter table t rename column note to note2",
}


def uncached(url: str, scope: Scope | None = None) -> Catalog:
    os.environ[cache.NO_CACHE_ENV] = "1"
    try:
        return inspect(url, scope=scope)
    finally:
        del os.environ[cache.NO_CACHE_ENV]


def dbname(url: str) -> str:
    return str(conninfo.conninfo_to_dict(url)["dbname"])


def entries() -> set[Path]:
    return set(cache.directory().glob("*.catalog"))


@pytest.mark.parametrize("change", list(CHANGES), ids=list(CHANGES))
def test_a_changed_schema_is_inspected_again(db: str, change: str) -> None:
    execute(db, BASE)
    before = inspect(db)
    assert inspect(db) == before  # served from the cache: still the same
    execute(db, CHANGES[change])
    after = inspect(db)
    assert after == uncached(db)
    assert after != before


def test_a_new_user_mapping_is_seen_though_no_catalog_lists_it(db: str) -> None:
    # pg_user_mapping is not readable by all, but each mapping's tie to its server is a row
    # of pg_depend, which the stamp covers
    execute(db, "create foreign data wrapper w; create server s foreign data wrapper w")
    inspect(db)
    execute(db, "create user mapping for public server s")
    server = inspect(db).objects[("server", "s")]
    assert isinstance(server, ForeignServer) and server.user_mappings == ("PUBLIC",)


def test_a_stored_entry_is_what_an_unchanged_database_answers(db: str) -> None:
    execute(db, "create table t (a int)")
    made = entries()
    inspect(db)
    (entry,) = entries() - made
    # Replace the stored catalog with a marked one: the next inspection must return it,
    # which shows that an unchanged database is answered from the entry.
    marked = Catalog({("schema", "marked"): Schema("marked", "x", None, frozenset())}, {})
    entry.write_bytes(zlib.compress(pickle.dumps(marked)))
    assert inspect(db) == marked
    assert uncached(db) != marked


def test_renaming_a_role_changes_owners_and_grantees(db: str, pg: PgServer) -> None:
    role = f"r_{dbname(db)}"
    execute(db, f"create role {role}; create table t (a int); grant select on t to {role}")
    before = inspect(db)
    execute(db, f"alter role {role} rename to {role}_2")
    try:
        assert inspect(db) == uncached(db) != before
    finally:
        execute(db, f"drop owned by {role}_2; drop role {role}_2")


def test_a_clone_shares_its_templates_entry_until_it_changes(db_factory: PgServer) -> None:
    base = db_factory.create_database()
    execute(base, "create table t (a int); create view v as select a from t")
    expected = inspect(base)
    name = dbname(base)
    clone = db_factory.create_database()
    clone_name = dbname(clone)
    execute(db_factory.admin_url, f"drop database {clone_name}")
    execute(db_factory.admin_url, f"create database {clone_name} template {name}")
    made = entries()
    assert inspect(clone) == expected
    assert entries() == made  # no new entry: the clone's catalogs are its template's
    execute(clone, "alter table t add column b int")
    assert inspect(clone) == uncached(clone) != expected
    assert inspect(base) == expected


def test_each_scope_has_its_own_entry(db: str) -> None:
    execute(db, "create schema a; create table a.t (x int); create table public.u (y int)")
    everything = inspect(db)
    only_a = inspect(db, schemas=["a"])
    assert only_a == uncached(db, Scope.of(["a"])) != everything
    assert inspect(db) == everything


def test_no_cache_writes_nothing(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    execute(db, "create table t (a int)")
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    made = entries()
    inspect(db)
    assert entries() == made


def test_an_unreadable_entry_or_directory_costs_only_time(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    execute(db, "create table t (a int)")
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path / "c"))
    expected = inspect(db)
    (entry,) = entries()
    entry.write_bytes(b"not a catalog")
    assert inspect(db) == expected
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(blocker / "c"))  # cannot be created
    assert inspect(db) == expected


def fingerprints() -> dict[Path, str]:
    return {path: path.read_text() for path in cache.directory().glob("*.fingerprint")}


def test_diff_of_equal_databases_stores_a_fingerprint_that_a_change_makes_irrelevant(
    capsys: pytest.CaptureFixture[str],
    db_factory: PgServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a cache of its own: the suite's shared one prunes old entries as tests run
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    a, b = db_factory.create_database(), db_factory.create_database()
    for url in (a, b):
        execute(url, "create table t (id int primary key, note text)")
    before = fingerprints()
    assert cli(capsys, tmp_path, "diff", a, b).code == 0  # cold: stores the catalogs
    assert fingerprints() == before
    assert cli(capsys, tmp_path, "diff", a, b).code == 0  # warm: and their fingerprint
    added = {path: text for path, text in fingerprints().items() if path not in before}
    assert len(added) == 2 and len(set(added.values())) == 1  # one for each database
    assert cli(capsys, tmp_path, "diff", a, b).code == 0  # answered by the fingerprints
    execute(b, "alter table t add column extra int")
    changed = cli(capsys, tmp_path, "diff", a, b)
    assert changed.code == 1 and "ADD COLUMN extra integer" in changed.out


def test_equal_stored_fingerprints_answer_a_diff_without_its_catalogs(
    capsys: pytest.CaptureFixture[str],
    db_factory: PgServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path / "cache"))  # marked below
    a, b = db_factory.create_database(), db_factory.create_database()
    execute(a, "create table t (a int)")
    execute(b, "create table u (b int)")
    assert cli(capsys, tmp_path, "diff", a, b).code == 1
    assert len(entries()) == 2
    for entry in entries():
        entry.with_suffix(".fingerprint").write_text("same")
    # Marked equal: the diff trusts the fingerprints (which is why they are only ever
    # stored for a catalog's own entry), except when owners are compared.
    assert cli(capsys, tmp_path, "diff", a, b).code == 0
    assert cli(capsys, tmp_path, "diff", "--owners", a, b).code == 1


def test_a_server_that_will_not_name_itself_is_inspected_without_the_cache(db: str) -> None:
    # Some managed servers revoke pg_control_system(): its system identifier is the
    # stamp's first part, so there is no entry to trust; inspection must still work.
    role = f"nocache_{dbname(db)}"
    execute(
        db,
        f"create role {role} login password 'pw'; grant create on schema public to {role};"
        " revoke execute on function pg_catalog.pg_control_system() from public",
    )
    as_role = conninfo.make_conninfo(db, user=role, password="pw")
    try:
        execute(as_role, "create table t (a int)")
        made = entries()
        first = inspect(as_role)
        assert first == inspect(as_role) == uncached(db)
        assert ("table", "public.t") in first.objects
        assert entries() == made
    finally:
        execute(db, f"drop owned by {role}; drop role {role}")


def test_columns_come_back_from_the_cache_with_every_attribute(db: str) -> None:
    # Stored columns leave out what most columns have (see Column.__getstate__): both the
    # usual and the unusual values must come back.
    execute(
        db,
        "do $$ begin create role cache_reader; exception when duplicate_object then null;"
        " end $$;"
        'create table t (plain int, "Odd name" text collate "C" not null default \'x\','
        " id int generated always as identity, twice int generated always as (plain * 2)"
        " stored, noted int); comment on column t.noted is 'a note';"
        " grant update (noted) on t to cache_reader",
    )
    fresh = uncached(db)
    inspect(db)  # stores the entry
    again = inspect(db)
    assert cache.was_reused(again)
    assert again == fresh
    table, expected = (c.objects[("table", "public.t")] for c in (again, fresh))
    assert isinstance(table, Table) and isinstance(expected, Table)
    assert [repr(column) for column in table.columns] == [repr(c) for c in expected.columns]
    odd = table.column('"Odd name"')
    assert odd is not None and odd.not_null and odd.collation and odd.default
    noted = table.column("noted")
    assert noted is not None and noted.comment == "a note" and noted.privileges
    plain = table.column("plain")
    assert plain is not None and not plain.not_null and plain.comment is None


def test_a_partial_entry_left_by_an_interrupted_writer_is_removed_in_time(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path / "c"))
    execute(db, "create table t (a int)")
    inspect(db)
    old, recent = tmp_path / "c" / "old.1.2.tmp", tmp_path / "c" / "recent.1.2.tmp"
    for partial in (old, recent):
        partial.write_bytes(b"half an entry")
    hour_and_more = os.stat(old).st_mtime - cache.ABANDONED_AFTER_S - 60
    os.utime(old, (hour_and_more, hour_and_more))
    execute(db, "create table u (b int)")
    inspect(db)  # a new entry: the cache is pruned
    assert not old.exists() and recent.exists()


def test_a_console_process_writes_its_entries_only_when_its_command_is_done(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As in the console process; the writes themselves (forked children at exit) are
    # tested through the real command in tests/test_cli.py.
    monkeypatch.setattr(lifetime, "SHORT_LIVED", True)
    monkeypatch.setattr(cache, "_pending", {})
    monkeypatch.setattr(lifetime, "_last_steps", {})
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path / "c"))
    execute(db, "create table a (x int)")
    first = inspect(db)
    assert entries() == set() and len(cache._pending) == 1
    assert list(lifetime._last_steps) == [cache._write_pending]
    again = inspect(db)  # unchanged: the entry waiting to be written is the answer
    assert again is first and entries() == set()
    execute(db, "create table b (x int)")
    assert inspect(db) != first and len(cache._pending) == 2
    assert list(lifetime._last_steps) == [cache._write_pending]  # asked for once
