"""`pgalign guard`: DDL not run by pgalign is recorded as it happens, on real servers."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import psycopg
import pytest
from psycopg import conninfo

from pgalign import guard
from pgalign.cli.guard import parse_since
from pgalign.connect import connect
from tests.conftest import PgServer, execute, query
from tests.helpers import cli, write_config

LOG = "pgalign_guard.ddl_log"
MakeRole = Callable[..., tuple[str, str]]


def run_as(url: str, *statements: str, application_name: str = "psql") -> None:
    """Statements on one plain connection, as a person with a SQL client would run them."""
    with psycopg.connect(url, autocommit=True, application_name=application_name) as conn:
        for statement in statements:
            conn.execute(statement)  # type: ignore[arg-type]


def log_rows(url: str, columns: str = "command_tag, object_type, object_identity") -> list[Any]:
    return query(url, f"SELECT {columns} FROM {LOG} ORDER BY id")


def install(capsys: pytest.CaptureFixture[str], project: Path, url: str) -> None:
    result = cli(capsys, project, "guard", "install", "--db-url", url)
    assert result.code == 0, result.err
    assert "guard installed" in result.out


def guard_objects(url: str) -> list[Any]:
    """Everything the guard creates that still exists."""
    return query(
        url,
        "SELECT 'trigger ' || evtname FROM pg_event_trigger WHERE evtname LIKE 'pgalign_guard%%'"
        " UNION ALL SELECT 'schema ' || nspname FROM pg_namespace WHERE nspname = 'pgalign_guard'"
        " UNION ALL SELECT 'function ' || proname FROM pg_proc WHERE proname = 'record_ddl'"
        " ORDER BY 1",
    )


@pytest.fixture
def make_role(db: str) -> Iterator[MakeRole]:
    """Login roles that are not superusers: (name, URL connecting as it); dropped afterwards.

    Roles belong to the whole server, so each name is unique to the test."""
    made: list[str] = []

    def make(prefix: str, *grants: str) -> tuple[str, str]:
        name = f"{prefix}_{uuid.uuid4().hex[:8]}"
        execute(db, f"CREATE ROLE {name} LOGIN PASSWORD 'pw-{name}'")
        made.append(name)
        for grant in grants:
            execute(db, grant.format(role=name))
        return name, conninfo.make_conninfo(db, user=name, password=f"pw-{name}")

    yield make
    for name in made:
        execute(db, f"DROP OWNED BY {name}")
        execute(db, f"DROP ROLE {name}")


def test_ddl_by_a_plain_connection_is_recorded_with_who_when_tag_identity_and_statement(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    install(capsys, project_dir, db)
    before = datetime.now(UTC) - timedelta(seconds=1)
    run_as(
        db,
        "create table public.notes (id bigint primary key, body text)",
        'create policy "read all" on public.notes for select using (true)',
        application_name="psql",
    )
    rows = log_rows(
        db,
        "login_role, acting_role, application_name, client_addr, command_tag, object_type,"
        " object_identity, statement, at, event, txid",
    )
    by_identity = {row[6]: row for row in rows}
    table = by_identity["public.notes"]
    assert table[:2] == ("postgres", "postgres")
    assert table[2] == "psql"
    assert table[3] is not None  # the test servers listen on 127.0.0.1
    assert table[4:6] == ("CREATE TABLE", "table")
    assert table[7] == "create table public.notes (id bigint primary key, body text)"
    assert before <= table[8] <= datetime.now(UTC) + timedelta(seconds=1)
    assert table[9] == "ddl_command_end" and isinstance(table[10], int)
    # The primary key's index comes with the table, as PostgreSQL reports it.
    assert by_identity["public.notes_pkey"][4] == "CREATE INDEX"
    policy = by_identity['"read all" on public.notes']
    assert policy[4:6] == ("CREATE POLICY", "policy")


def test_ddl_of_other_roles_is_recorded_under_their_names(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str, make_role: MakeRole
) -> None:
    alice, alice_url = make_role("alice", "GRANT CREATE ON SCHEMA public TO {role}")
    install(capsys, project_dir, db)
    run_as(alice_url, "create table public.alice_notes (id int)")
    run_as(db, f"set role {alice}", "create index on public.alice_notes (id)")
    rows = log_rows(db, "login_role, acting_role, command_tag, object_identity")
    assert rows == [
        (alice, alice, "CREATE TABLE", "public.alice_notes"),
        ("postgres", alice, "CREATE INDEX", "public.alice_notes_id_idx"),
    ]


def test_ddl_run_through_pgalign_is_not_recorded(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    install(capsys, project_dir, db)
    # pgalign's own connections, as push, repair and pull open them.
    for name in ("pgalign push", "pgalign repair", None):
        named = {"application_name": name} if name else {}
        with connect(db, autocommit=True, **named) as conn:
            conn.execute("create table public.by_pgalign (id bigint primary key)")
            conn.execute("create index on public.by_pgalign (id)")
            conn.execute("drop table public.by_pgalign")
    assert log_rows(db) == []
    run_as(db, "create table public.by_hand (id int)", application_name="DBeaver")
    run_as(db, "drop table public.by_hand", application_name="")
    assert log_rows(db, "command_tag, object_identity, application_name") == [
        ("CREATE TABLE", "public.by_hand", "DBeaver"),
        ("DROP TABLE", "public.by_hand", ""),
    ]


def test_drops_are_recorded(capsys: pytest.CaptureFixture[str], project_dir: Path, db: str) -> None:
    run_as(
        db,
        "create table public.notes (id bigint primary key, body text, n int check (n > 0))",
        "create policy notes_owner on public.notes using (true)",
        "create view public.recent as select id from public.notes",
        "create function public.f(a int, b text) returns int language sql as 'select 1'",
    )
    install(capsys, project_dir, db)
    run_as(
        db,
        "alter table public.notes drop column body",
        "drop policy notes_owner on public.notes",
        "drop function public.f(int, text)",
        "drop table public.notes cascade",
    )
    rows = log_rows(db, "event, command_tag, object_type, object_identity")
    drops = [row[1:] for row in rows if row[0] == "sql_drop"]
    assert ("ALTER TABLE", "table column", "public.notes.body") in drops
    assert ("DROP POLICY", "policy", "notes_owner on public.notes") in drops
    assert ("DROP FUNCTION", "function", "public.f(integer,pg_catalog.text)") in drops
    assert ("DROP TABLE", "table", "public.notes") in drops
    assert ("DROP TABLE", "view", "public.recent") in drops  # by CASCADE
    # What went with the table is drift too; its internal parts (row type, toast) are not.
    assert ("DROP TABLE", "index", "public.notes_pkey") in drops
    assert ("DROP TABLE", "table constraint", "notes_n_check on public.notes") in drops
    assert not [row for row in drops if row[0] == "DROP TABLE" and row[1] == "type"]


def test_a_broken_guard_never_blocks_ddl(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    install(capsys, project_dir, db)
    # A log that refuses every row: the insert fails inside the trigger function.
    run_as(db, f"ALTER TABLE {LOG} ADD CONSTRAINT refuse CHECK (false) NOT VALID")
    run_as(db, "create table public.still_works (id int)", "drop table public.still_works")
    run_as(db, f"ALTER TABLE {LOG} DROP CONSTRAINT refuse")
    assert log_rows(db) == []
    # A log that is gone altogether.
    run_as(db, f"DROP TABLE {LOG}")
    run_as(db, "create table public.works_too (id int)", "alter table public.works_too add x int")
    assert query(db, "SELECT to_regclass('public.works_too') IS NOT NULL") == [(True,)]
    # A transaction with DDL commits as it would without the guard.
    with psycopg.connect(db) as conn:
        conn.execute("create table public.in_tx (id int)")
        conn.execute("insert into public.in_tx values (1)")
    assert query(db, "SELECT count(*) FROM public.in_tx") == [(1,)]


def test_install_is_idempotent_and_keeps_the_log(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    install(capsys, project_dir, db)
    run_as(db, "create table public.notes (id int)")
    install(capsys, project_dir, db)
    run_as(db, "drop table public.notes")
    assert log_rows(db) == [
        ("CREATE TABLE", "table", "public.notes"),
        ("DROP TABLE", "table", "public.notes"),
    ]
    assert guard_objects(db) == [
        ("function record_ddl",),
        ("schema pgalign_guard",),
        ("trigger pgalign_guard_ddl",),
        ("trigger pgalign_guard_drop",),
    ]
    # Enabled ALWAYS: recorded even under session_replication_role = replica.
    assert query(db, "SELECT DISTINCT evtenabled FROM pg_event_trigger") == [("A",)]


def test_uninstall_removes_everything_and_says_the_log_is_deleted(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    install(capsys, project_dir, db)
    run_as(db, "create table public.notes (id int)")
    result = cli(capsys, project_dir, "guard", "uninstall", "--db-url", db)
    assert result.code == 0, result.err
    assert "log (1 entries) is deleted" in result.out
    assert guard_objects(db) == []
    run_as(db, "drop table public.notes")  # DDL without the guard
    again = cli(capsys, project_dir, "guard", "uninstall", "--db-url", db)
    assert again.code == 0 and "not installed" in again.out


def test_uninstall_keep_log_leaves_the_table_and_stops_recording(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    install(capsys, project_dir, db)
    run_as(db, "create table public.notes (id int)")
    result = cli(capsys, project_dir, "guard", "uninstall", "--db-url", db, "--keep-log")
    assert result.code == 0, result.err
    assert "is kept in pgalign_guard.ddl_log" in result.out
    run_as(db, "drop table public.notes")
    assert log_rows(db) == [("CREATE TABLE", "table", "public.notes")]
    assert guard_objects(db) == [("schema pgalign_guard",)]
    stale = cli(capsys, project_dir, "guard", "log", "--db-url", db)
    assert stale.code == 0 and "no longer updated" in stale.err
    install(capsys, project_dir, db)  # back on, over the kept log
    run_as(db, "create table public.again (id int)")
    assert len(log_rows(db)) == 2


def test_a_non_superuser_gets_one_clear_line_and_nothing_is_created(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str, make_role: MakeRole
) -> None:
    dbname = conninfo.conninfo_to_dict(db)["dbname"]
    # CREATE on the database, so creating the schema would succeed: the event trigger fails.
    bob, bob_url = make_role("bob", f'GRANT CREATE ON DATABASE "{dbname}" TO {{role}}')
    result = cli(capsys, project_dir, "guard", "install", "--db-url", bob_url)
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert f'role "{bob}" may not create event triggers on' in lines[0]
    assert "only superusers" in lines[0] and "fix:" in lines[0]
    assert f"pw-{bob}" not in result.err
    assert guard_objects(db) == []


def test_a_role_without_create_on_the_database_is_told_so(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str, make_role: MakeRole
) -> None:
    carol, carol_url = make_role("carol")
    result = cli(capsys, project_dir, "guard", "install", "--db-url", carol_url)
    assert result.code == 2
    assert f'role "{carol}" cannot create schema pgalign_guard and its log' in result.err
    assert guard_objects(db) == []


def test_a_protected_environment_needs_yes(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    write_config(project_dir, {"production": db}, protected=("production",))
    refused = cli(capsys, project_dir, "guard", "install", "--env", "production")
    assert refused.code == 2 and "--yes" in refused.err
    assert guard_objects(db) == []
    assert cli(capsys, project_dir, "guard", "install", "--env", "production", "--yes").code == 0
    refused = cli(capsys, project_dir, "guard", "uninstall", "--env", "production")
    assert refused.code == 2 and len(guard_objects(db)) == 4


def test_log_json_shape(capsys: pytest.CaptureFixture[str], project_dir: Path, db: str) -> None:
    install(capsys, project_dir, db)
    run_as(db, "create table public.notes (id int)", "drop table public.notes")
    result = cli(capsys, project_dir, "guard", "log", "--db-url", db, "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert set(data) == {"environment", "installed", "entries"}
    assert data["installed"] is True
    newest, oldest = data["entries"]
    assert set(newest) == {
        "id",
        "at",
        "login_role",
        "acting_role",
        "application_name",
        "client_addr",
        "backend_pid",
        "txid",
        "event",
        "command_tag",
        "object_type",
        "object_identity",
        "schema_name",
        "statement",
    }
    assert (newest["command_tag"], newest["event"]) == ("DROP TABLE", "sql_drop")
    assert (oldest["command_tag"], oldest["object_identity"]) == ("CREATE TABLE", "public.notes")
    assert oldest["statement"] == "create table public.notes (id int)"
    assert datetime.fromisoformat(oldest["at"]).tzinfo is not None
    assert newest["id"] > oldest["id"]


def test_log_filters_by_object_since_and_limit(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    install(capsys, project_dir, db)
    run_as(
        db,
        "create table public.notes (id int, body text)",
        "create table public.notes_archive (id int)",
        "create policy p on public.notes using (true)",
        "alter table public.notes drop column body",
        "create index notes_by_id on public.notes (id)",
        "create index archive_by_id on public.notes_archive (id)",
    )
    run_as(db, f"UPDATE {LOG} SET at = at - interval '3 days' WHERE command_tag = 'CREATE TABLE'")

    def identities(*args: str) -> list[str]:
        result = cli(capsys, project_dir, "guard", "log", "--db-url", db, "--json", *args)
        assert result.code == 0, result.err
        return [entry["object_identity"] for entry in json.loads(result.out)["entries"]]

    # sql_drop fires before ddl_command_end: the dropped column comes before its ALTER TABLE.
    # its index is found through the catalogs (its identity does not name the table)
    assert identities("--object", "public.notes") == [
        "public.notes_by_id",
        "public.notes",
        "public.notes.body",
        "p on public.notes",
        "public.notes",
    ]
    assert identities("--since", "1d") == [
        "public.archive_by_id",
        "public.notes_by_id",
        "public.notes",
        "public.notes.body",
        "p on public.notes",
    ]
    assert identities("--limit", "1") == ["public.archive_by_id"]
    text = cli(capsys, project_dir, "guard", "log", "--db-url", db, "--object", "public.notes_x")
    assert text.code == 0 and "no DDL recorded" in text.err
    bad = cli(capsys, project_dir, "guard", "log", "--db-url", db, "--since", "yesterday")
    assert bad.code == 2 and "neither a duration" in bad.err


def test_log_table_lists_who_and_what(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    install(capsys, project_dir, db)
    run_as(db, "create table public.notes (id int)", application_name="Supabase SQL editor")
    result = cli(capsys, project_dir, "guard", "log", "--db-url", db)
    assert result.code == 0, result.err
    assert "CREATE TABLE" in result.out and "public.notes" in result.out
    assert "postgres" in result.out and "Supabase SQL editor" in result.out
    # No terminal: one tab-separated line per entry, for grep and cut.
    at, who, origin, command, obj, statement = result.out.splitlines()[0].split("\t")
    assert (who, command, obj) == ("postgres", "CREATE TABLE", "public.notes")
    assert origin.startswith("Supabase SQL editor") and at.startswith("20")
    assert statement == "create table public.notes (id int)"


def test_log_says_when_the_guard_is_not_installed(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str
) -> None:
    result = cli(capsys, project_dir, "guard", "log", "--db-url", db)
    assert result.code == 2
    assert "guard is not installed" in result.err and "pgalign guard install" in result.err


class CountingCursor(psycopg.Cursor[Any]):
    executed: ClassVar[list[str]] = []

    def execute(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        CountingCursor.executed.append(str(query))
        return super().execute(query, *args, **kwargs)


def test_last_changes_answers_for_several_identities_in_one_query(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str, make_role: MakeRole
) -> None:
    with psycopg.connect(db) as conn:
        assert guard.last_changes(conn, ["public.notes"]) == {}  # not installed
    install(capsys, project_dir, db)
    alice, alice_url = make_role("alice")
    run_as(db, "create table public.notes (id int)", f"alter table public.notes owner to {alice}")
    run_as(
        alice_url,
        'create policy "read all" on public.notes for select using (true)',
        "alter table public.notes add column body text",
        application_name="studio",
    )
    identities = ["public.notes", '"read all" on public.notes', "public.unknown", "public.x"]
    with psycopg.connect(db, cursor_factory=CountingCursor) as conn:
        CountingCursor.executed = []
        one = guard.last_changes(conn, identities[:1])
        queries_for_one = len(CountingCursor.executed)
        CountingCursor.executed = []
        found = guard.last_changes(conn, identities)
        assert len(CountingCursor.executed) == queries_for_one
    assert set(found) == {"public.notes", '"read all" on public.notes'}
    table = found["public.notes"]
    assert (table.who, table.command_tag, table.application_name) == (
        alice,
        "ALTER TABLE",
        "studio",
    )
    assert table.statement == "alter table public.notes add column body text"
    assert found['"read all" on public.notes'].command_tag == "CREATE POLICY"
    assert one["public.notes"] == table


def test_since_accepts_durations_and_iso_times() -> None:
    now = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
    assert parse_since("30m", now) == now - timedelta(minutes=30)
    assert parse_since("2w", now) == now - timedelta(weeks=2)
    assert parse_since("2026-01-01") == datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_since("2026-01-01T10:00:00+02:00").utcoffset() == timedelta(hours=2)


MANUAL_OBJECTS = """
create schema app;
create type app.mood as enum ('happy');
create table app."My Notes" (id bigint primary key, body text, n int constraint n_positive check (n > 0));
create index notes_body on app."My Notes" (body);
alter table app."My Notes" enable row level security;
create policy "read all" on app."My Notes" for select using (true);
create function app.touch() returns trigger language plpgsql as 'begin return new; end';
create function app.score(a integer, b text) returns int language sql as 'select 1';
create trigger touch before update on app."My Notes" for each row execute function app.touch();
create view app.recent as select id from app."My Notes";
create sequence app.counter;
"""


def test_every_drift_change_maps_onto_the_log(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db_factory: PgServer
) -> None:
    from pgalign.catalog.inspect import inspect
    from pgalign.diff.compare import diff

    expected, actual = db_factory.create_database(), db_factory.create_database()
    install(capsys, project_dir, actual)
    run_as(actual, MANUAL_OBJECTS, application_name="psql")
    created = diff(inspect(expected), inspect(actual, exclude_schemas=[guard.SCHEMA])).changes
    assert {change.kind for change in created} >= {
        "schema",
        "type",
        "table",
        "constraint",
        "index",
        "policy",
        "function",
        "trigger",
        "view",
        "sequence",
    }
    with psycopg.connect(actual) as conn:
        found = guard.last_changes_for(conn, [(c.kind, c.name) for c in created])
    missing = [c for c in created if (c.kind, c.name) not in found]
    assert missing == []
    assert all(entry.application_name == "psql" for entry in found.values())
    assert found[("policy", 'app."My Notes"."read all"')].command_tag == "CREATE POLICY"
    assert found[("function", "app.score(a integer, b text)")].command_tag == "CREATE FUNCTION"

    # Drops by hand: the same objects on both, then removed on one.
    run_as(expected, MANUAL_OBJECTS, application_name="pgalign push")
    run_as(
        actual,
        'drop policy "read all" on app."My Notes"',
        'alter table app."My Notes" drop constraint n_positive, drop column body',
        "drop function app.touch() cascade",
        "drop function app.score(integer, text)",
        application_name="DataGrip",
    )
    removed = diff(inspect(expected), inspect(actual, exclude_schemas=[guard.SCHEMA])).changes
    assert {(c.kind, c.action) for c in removed} >= {
        ("policy", "drop"),
        ("constraint", "drop"),
        ("function", "drop"),
        ("trigger", "drop"),
    }
    with psycopg.connect(actual) as conn:
        found = guard.last_changes_for(conn, [(c.kind, c.name) for c in removed])
    assert [c for c in removed if (c.kind, c.name) not in found] == []
    for change in removed:
        assert found[(change.kind, change.name)].application_name == "DataGrip", change


def test_identities_of_catalog_names() -> None:
    assert guard.identities_of("table", 'app."My Notes"') == (['app."My Notes"'], None)
    assert guard.identities_of("policy", 'public.notes."read all"') == (
        ['"read all" on public.notes'],
        None,
    )
    assert guard.identities_of("constraint", 'app."a.b".c_check') == (
        ['c_check on app."a.b"', 'app."a.b"'],
        None,
    )
    assert guard.identities_of("function", "public.f(a integer, b text)") == ([], "public.f")
    assert guard.split_identifiers('a."b "".c".d') == ["a", '"b "".c"', "d"]


def test_install_warns_when_event_triggers_are_turned_off(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str, pg: PgServer
) -> None:
    if pg.version_num < 170000:
        pytest.skip("event_triggers is a setting from PostgreSQL 17")
    dbname = conninfo.conninfo_to_dict(db)["dbname"]
    execute(db, f'ALTER DATABASE "{dbname}" SET event_triggers = off')
    result = cli(capsys, project_dir, "guard", "install", "--db-url", db)
    assert result.code == 0, result.err
    assert "event_triggers is off" in result.err
    run_as(db, "create table public.unseen (id int)")
    assert log_rows(db) == []


def test_a_role_that_may_not_read_the_log_is_told_so_without_breaking_its_transaction(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str, make_role: MakeRole
) -> None:
    install(capsys, project_dir, db)
    run_as(db, "create table public.notes (id int)")
    dave, dave_url = make_role("dave")
    result = cli(capsys, project_dir, "guard", "log", "--db-url", dave_url)
    assert result.code == 2
    assert f'role "{dave}" may not read pgalign_guard.ddl_log' in result.err
    with psycopg.connect(dave_url) as conn:
        with pytest.raises(guard.GuardError):
            guard.last_changes(conn, ["public.notes"])
        assert conn.execute("SELECT 1").fetchone() == (1,)  # the transaction is still usable


def test_a_table_changed_through_one_of_its_columns_maps_onto_that_entry(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db_factory: PgServer
) -> None:
    from pgalign.catalog.inspect import inspect
    from pgalign.diff.compare import diff

    expected, actual = db_factory.create_database(), db_factory.create_database()
    schema = "create table public.notes (id int, body text); create table public.notes_x (a int)"
    run_as(expected, schema, application_name="pgalign push")
    run_as(actual, schema, application_name="pgalign push")
    install(capsys, project_dir, actual)
    run_as(actual, "alter table public.notes add column extra int", application_name="psql")
    run_as(actual, "comment on column public.notes.body is 'the text'", application_name="Studio")
    run_as(actual, "comment on column public.notes_x.a is 'not this one'", application_name="x")
    changes = diff(inspect(expected), inspect(actual, exclude_schemas=[guard.SCHEMA])).changes
    assert ("table", "public.notes") in {(c.kind, c.name) for c in changes}
    with psycopg.connect(actual) as conn:
        found = guard.last_changes_for(conn, [("table", "public.notes")])
    entry = found[("table", "public.notes")]
    assert (entry.command_tag, entry.object_identity) == ("COMMENT", "public.notes.body")
    assert entry.application_name == "Studio"


def test_uninstall_by_a_role_that_does_not_own_the_guard_changes_nothing(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db: str, make_role: MakeRole
) -> None:
    install(capsys, project_dir, db)
    erin, erin_url = make_role("erin")
    result = cli(capsys, project_dir, "guard", "uninstall", "--db-url", erin_url)
    assert result.code == 2
    assert f'role "{erin}" cannot remove the guard on' in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert len(guard_objects(db)) == 4
