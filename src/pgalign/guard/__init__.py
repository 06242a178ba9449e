"""The guard: an event trigger recording DDL not run by pgalign, and queries over its log.

`install` creates the schema `pgalign_guard` (table `ddl_log`, function `record_ddl`) and two
event triggers: `pgalign_guard_ddl` on ddl_command_end and `pgalign_guard_drop` on sql_drop.
The function skips connections whose application_name starts with "pgalign" (pgalign's own)
and objects in `pgalign_guard`; it never raises, so a broken guard cannot block anyone's DDL.

Object identities are what PostgreSQL's getObjectIdentity prints (the `object_identity`
column of pg_event_trigger_ddl_commands() and pg_event_trigger_dropped_objects()); every
name part is quote_ident-ed, as in the catalog's names:

    schema, extension, publication      app, pgcrypto, pub
    table, view, materialized view,     public.notes, app."My Notes", public.notes_pkey
      sequence, index, type, domain,
      collation
    policy, trigger, rule,              "read all" on public.notes, t on public.notes,
      constraint (dropped), domain        notes_pkey on public.notes, d_pos on public.d
      constraint
    column (dropped, COMMENT ON)        public.notes.body
    column default (dropped)            for public.notes.id
    function, procedure, aggregate      public.f(integer,pg_catalog.text): argument types
                                        only, no spaces, qualified except SQL-standard names
    GRANT, ALTER DEFAULT PRIVILEGES     NULL (object_type 'TABLE', 'TABLES'...)

ALTER TABLE (adding a column or a constraint too) is logged on the table; a DROP also logs
what went with the object (indexes, policies, triggers, constraints, dependent views).
`identities_of` maps a catalog (kind, name) onto these.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

from psycopg import errors as pg_errors
from psycopg.rows import dict_row

from pgalign.connect import Conn, error_line
from pgalign.errors import PgalignError
from pgalign.sql import ident

SCHEMA = "pgalign_guard"
TABLE = "ddl_log"
FUNCTION = "record_ddl"
# event trigger name -> event it fires on
TRIGGERS = {"pgalign_guard_ddl": "ddl_command_end", "pgalign_guard_drop": "sql_drop"}

_COLUMNS = (
    "id, at, login_role, acting_role, application_name, host(client_addr) AS client_addr, "
    "backend_pid, txid, event, command_tag, object_type, object_identity, schema_name, statement"
)


class GuardError(PgalignError):
    """The guard cannot be installed, removed or read on a database."""


@dataclass(frozen=True)
class GuardEntry:
    """One object touched by one DDL command."""

    id: int
    at: datetime
    login_role: str  # session_user
    acting_role: str  # after SET ROLE; equal to login_role without one
    application_name: str | None
    client_addr: str | None  # None for a Unix-socket connection
    backend_pid: int | None
    txid: int | None
    event: str  # ddl_command_end or sql_drop
    command_tag: str
    object_type: str | None
    object_identity: str | None  # None for GRANT and ALTER DEFAULT PRIVILEGES
    schema_name: str | None
    statement: str | None

    @property
    def who(self) -> str:
        if self.acting_role == self.login_role:
            return self.login_role
        return f"{self.login_role} as {self.acting_role}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "login_role": self.login_role,
            "acting_role": self.acting_role,
            "application_name": self.application_name,
            "client_addr": self.client_addr,
            "backend_pid": self.backend_pid,
            "txid": self.txid,
            "event": self.event,
            "command_tag": self.command_tag,
            "object_type": self.object_type,
            "object_identity": self.object_identity,
            "schema_name": self.schema_name,
            "statement": self.statement,
        }


@dataclass(frozen=True)
class Removal:
    """What `uninstall` removed."""

    removed: bool  # anything was installed
    entries: int  # rows in the log when it was removed (or kept)
    kept_log: bool


@cache
def install_sql() -> str:
    return (resources.files("pgalign.guard") / "install.sql").read_text("utf-8")


def _table() -> str:
    return ident(SCHEMA, TABLE)


_LOG_READABLE = (
    "SELECT has_schema_privilege(n.oid, 'USAGE') AND has_table_privilege(c.oid, 'SELECT')"
    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname = %s AND c.relname = %s"
)


def is_installed(conn: Conn) -> bool:
    """The log table and both event triggers exist (whether or not they are enabled)."""
    row = conn.execute(
        "SELECT count(*) FROM pg_event_trigger WHERE evtname = ANY(%s)", (list(TRIGGERS),)
    ).fetchone()
    return has_log(conn) and row is not None and row[0] == len(TRIGGERS)


def has_log(conn: Conn) -> bool:
    """The log table exists, whether or not this role may read it."""
    return conn.execute(_LOG_READABLE, (SCHEMA, TABLE)).fetchone() is not None


def _readable_log(conn: Conn) -> bool:
    """False without a log; GuardError (before any query could fail and abort the caller's
    transaction) when this role may not read it."""
    row = conn.execute(_LOG_READABLE, (SCHEMA, TABLE)).fetchone()
    if row is None:
        return False
    if not row[0]:
        role = conn.execute("SELECT current_user").fetchone()
        raise GuardError(
            f'role "{role[0] if role else "?"}" may not read {SCHEMA}.{TABLE}',
            "connect as the role that installed the guard, or grant this role USAGE on "
            f"schema {SCHEMA} and SELECT on {SCHEMA}.{TABLE}",
        )
    return True


def install(conn: Conn, where: str) -> list[str]:
    """Create or replace the guard in one transaction; `where` names the database in errors.

    `conn` must have no transaction open (autocommit, or idle). Returns notes on what the
    guard will not see on this server. Raises GuardError naming the role and what it lacks
    when the server refuses, and then nothing is left behind.
    """
    role, facts = _privilege_facts(conn)
    step = "schema"
    try:
        with conn.transaction():
            conn.execute(install_sql())
            step = "event trigger"
            function = f"{ident(SCHEMA, FUNCTION)}()"
            for name, event in TRIGGERS.items():
                conn.execute(f"DROP EVENT TRIGGER IF EXISTS {ident(name)}")
                conn.execute(
                    f"CREATE EVENT TRIGGER {ident(name)} ON {event} EXECUTE FUNCTION {function}"
                )
                # Also when session_replication_role = replica (bulk loads, some restores).
                conn.execute(f"ALTER EVENT TRIGGER {ident(name)} ENABLE ALWAYS")
    except pg_errors.InsufficientPrivilege as exc:
        if step == "event trigger" or "event trigger" in str(exc):
            raise _event_trigger_refused(role, facts, where) from None
        raise GuardError(
            f'role "{role}" cannot create schema {SCHEMA} and its log on {where}: '
            f"{error_line(exc)}",
            "connect as the database owner (or the role that installed the guard before), "
            "or GRANT CREATE ON DATABASE to this role",
        ) from None
    return _blind_spots(facts)


def _blind_spots(facts: _Facts) -> list[str]:
    notes = []
    if facts.privileged_role and not facts.superuser:
        notes.append(
            "DDL run by superusers (supabase_admin) and by supautils' reserved roles is not "
            "recorded: supautils skips event triggers made by its privileged role for them"
        )
    if facts.event_triggers_off:
        notes.append(
            "event_triggers is off on this server: nothing is recorded until it is turned on"
        )
    return notes


@dataclass(frozen=True)
class _Facts:
    superuser: bool
    privileged_role: str | None  # supautils.privileged_role (Supabase), when loaded
    rds: bool  # an Amazon RDS / Aurora server (rds_superuser exists)
    event_triggers_off: bool  # PostgreSQL 17+: event_triggers = off disables them all


def _privilege_facts(conn: Conn) -> tuple[str, _Facts]:
    row = conn.execute(
        "SELECT current_user, r.rolsuper,"
        " nullif(current_setting('supautils.privileged_role', true), ''),"
        " EXISTS (SELECT FROM pg_roles WHERE rolname = 'rds_superuser'),"
        " coalesce(current_setting('event_triggers', true), 'on') = 'off'"
        " FROM pg_roles r WHERE r.rolname = current_user"
    ).fetchone()
    conn.rollback()
    assert row is not None
    return str(row[0]), _Facts(bool(row[1]), row[2], bool(row[3]), bool(row[4]))


def _event_trigger_refused(role: str, facts: _Facts, where: str) -> GuardError:
    what = f'role "{role}" may not create event triggers on {where}'
    if facts.privileged_role and facts.privileged_role != role:
        return GuardError(
            f"{what}: only superusers and supautils' privileged role "
            f'"{facts.privileged_role}" may',
            f'connect as "{facts.privileged_role}" (on Supabase: the postgres user of the '
            "project's connection string)",
        )
    if facts.privileged_role:
        return GuardError(
            f"{what}: this server's supautils does not let its privileged role create them",
            "upgrade the project to a Postgres image whose supautils supports event triggers,"
            " or install as a superuser",
        )
    if facts.rds:
        return GuardError(
            f"{what}: on Amazon RDS only the master user (rds_superuser) may",
            "connect as the master user or GRANT rds_superuser TO this role",
        )
    return GuardError(
        f"{what}: PostgreSQL lets only superusers create event triggers",
        "run `pgalign guard install` with --db-url of a superuser (e.g. postgres)",
    )


def uninstall(conn: Conn, where: str, keep_log: bool = False) -> Removal:
    """Drop the event triggers and the function; the log too unless `keep_log`."""
    present = conn.execute(
        "SELECT to_regnamespace(%s) IS NOT NULL,"
        " (SELECT count(*) FROM pg_event_trigger WHERE evtname = ANY(%s))",
        (SCHEMA, list(TRIGGERS)),
    ).fetchone()
    conn.rollback()  # end the read, so the removal below is a transaction of its own
    assert present is not None
    if not present[0] and not present[1]:
        return Removal(False, 0, keep_log)
    entries = 0
    try:
        with conn.transaction():
            if has_log(conn):
                count = conn.execute(f"SELECT count(*) FROM {_table()}").fetchone()
                entries = int(count[0]) if count else 0
            for name in TRIGGERS:
                conn.execute(f"DROP EVENT TRIGGER IF EXISTS {ident(name)}")
            conn.execute(f"DROP FUNCTION IF EXISTS {ident(SCHEMA, FUNCTION)}()")
            if not keep_log:
                conn.execute(f"DROP TABLE IF EXISTS {_table()}")
                # RESTRICT: anything else someone put in the schema stops the removal.
                conn.execute(f"DROP SCHEMA IF EXISTS {ident(SCHEMA)} RESTRICT")
    except pg_errors.InsufficientPrivilege as exc:
        role = conn.execute("SELECT current_user").fetchone()
        conn.rollback()
        raise GuardError(
            f'role "{role[0] if role else "?"}" cannot remove the guard on {where}: '
            f"{error_line(exc)}",
            "connect as the role that installed it (the owner of its event triggers)",
        ) from None
    except pg_errors.DependentObjectsStillExist as exc:
        raise GuardError(
            f"schema {SCHEMA} on {where} holds objects pgalign did not create: {error_line(exc)}",
            "move or drop them, or pass --keep-log to leave the schema in place",
        ) from None
    return Removal(True, entries, keep_log)


def entries(
    conn: Conn,
    since: datetime | None = None,
    limit: int | None = None,
    obj: str | None = None,
) -> list[GuardEntry]:
    """Log entries, newest first; `obj` keeps an object's own entries and those of its parts
    (`public.notes` also matches `"read all" on public.notes`, `public.notes.body`, and the
    indexes the table has now: an index's identity does not name its table)."""
    conditions: list[str] = []
    params: list[Any] = []
    if since is not None:
        conditions.append("at >= %s")
        params.append(since)
    if obj is not None:
        escaped = _like_escape(obj)
        conditions.append(
            "(object_identity = %s OR object_identity LIKE %s OR object_identity LIKE %s"
            " OR object_identity IN (SELECT (pg_identify_object(ic.tableoid, ic.oid, 0)).identity"
            "   FROM pg_catalog.pg_index i"
            "   JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid"
            "  WHERE (pg_identify_object('pg_catalog.pg_class'::regclass, i.indrelid, 0))"
            "        .identity = %s))"
        )
        params += [obj, f"% on {escaped}", f"{escaped}.%", obj]
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    sql = f"SELECT {_COLUMNS} FROM {_table()}{where} ORDER BY id DESC"
    if limit is not None:
        sql += " LIMIT %s"
        params.append(limit)
    if not _readable_log(conn):
        return []
    with conn.cursor(row_factory=dict_row) as cur:
        return [GuardEntry(**row) for row in cur.execute(sql, params)]


def last_changes(conn: Conn, identities: Iterable[str]) -> dict[str, GuardEntry]:
    """For each object identity, its newest log entry (one query); identities the log has
    never seen, and every identity when the guard is not installed, are absent. Raises
    GuardError when the log exists but this role may not read it."""
    wanted = sorted(set(identities))
    if not wanted or not _readable_log(conn):
        return {}
    sql = (
        f"SELECT DISTINCT ON (object_identity) {_COLUMNS} FROM {_table()}"
        " WHERE object_identity = ANY(%s) ORDER BY object_identity, id DESC"
    )
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(sql, (wanted,)).fetchall()
    return {row["object_identity"]: GuardEntry(**row) for row in rows}


# Catalog kinds whose objects PostgreSQL names `name on schema.table` in its identities.
_ON_TABLE = frozenset({"policy", "trigger", "constraint", "rule"})
_FUNCTION_TYPES = ["function", "procedure", "aggregate"]
# Kinds whose last change may be logged on a column of their table: the newest entry wins.
_HAS_COLUMNS = frozenset({"table", "view", "constraint", "column"})


def identities_of(kind: str, name: str) -> tuple[list[str], str | None]:
    """Where a catalog object (a drift change's kind and name, e.g. `policy` and
    `public.notes."read all"`) appears in the log: exact identities, the object's own first,
    and for functions the `schema.name` their identities start with (the log spells
    argument types as PostgreSQL's identity does, `public.f(integer,pg_catalog.text)`, the
    catalog as pg_get_function_identity_arguments, `public.f(a integer, b text)`, so
    overloads are told apart only by name).

    A constraint's creation is logged as ALTER TABLE on its table, so a constraint also
    matches its table's entries; so does a column.
    """
    if kind in ("function", "procedure", "aggregate"):
        return [], name.split("(", 1)[0]
    if kind == "default_privilege":
        return [], None  # ALTER DEFAULT PRIVILEGES is logged without an identity
    if kind in _ON_TABLE or kind == "column":
        parts = split_identifiers(name)
        if len(parts) < 3:
            return [name], None
        table = ".".join(parts[:-1])
        own = f"{parts[-1]} on {table}" if kind in _ON_TABLE else name
        return ([own, table] if kind in ("constraint", "column") else [own]), None
    return [name], None


def split_identifiers(qualified: str) -> list[str]:
    """`public."a.b".c` -> ['public', '"a.b"', 'c']: parts as quote_ident printed them."""
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in qualified:
        if char == '"':
            quoted = not quoted  # a doubled "" inside quotes toggles twice: no change
        if char == "." and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def last_changes_for(
    conn: Conn, objects: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], GuardEntry]:
    """For catalog objects given as (kind, name), e.g. drift changes, the newest log entry
    of each (see `identities_of`); a table's entries include its columns' (COMMENT ON
    COLUMN is logged on the column). One query for all of them."""
    wanted = {obj: identities_of(*obj) for obj in set(objects)}
    exact = sorted({ident for ids, _ in wanted.values() for ident in ids})
    functions = sorted({base for _, base in wanted.values() if base})
    tables = sorted(
        {ids[-1] for (kind, _), (ids, _) in wanted.items() if ids and kind in _HAS_COLUMNS}
    )
    if not (exact or functions) or not _readable_log(conn):
        return {}
    sql = (
        f"SELECT DISTINCT ON (key) {_COLUMNS}, key FROM ("
        "  SELECT *, CASE WHEN object_type = ANY(%(fn_types)s)"
        "    AND split_part(object_identity, '(', 1) = ANY(%(functions)s)"
        "    THEN split_part(object_identity, '(', 1) ELSE object_identity END AS key"
        f"  FROM {_table()}"
        "  WHERE object_identity = ANY(%(exact)s)"
        "     OR (object_type = ANY(%(fn_types)s)"
        "         AND split_part(object_identity, '(', 1) = ANY(%(functions)s))"
        "  UNION ALL"
        "  SELECT l.*, t.name AS key"
        f"  FROM {_table()} AS l JOIN unnest(%(tables)s::text[]) AS t(name)"
        "    ON l.object_type = 'table column' AND starts_with(l.object_identity, t.name || '.')"
        ") AS log ORDER BY key, id DESC"
    )
    params = {
        "exact": exact,
        "functions": functions,
        "fn_types": _FUNCTION_TYPES,
        "tables": tables,
    }
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(sql, params).fetchall()
    by_key = {row.pop("key"): GuardEntry(**row) for row in rows}
    found: dict[tuple[str, str], GuardEntry] = {}
    for obj, (ids, base) in wanted.items():
        keys = [*ids, base] if base else ids
        hits = [by_key[key] for key in keys if key in by_key]
        if hits:
            found[obj] = hits[0] if obj[0] not in _HAS_COLUMNS else _newest(hits)
    return found


def _newest(entries: list[GuardEntry]) -> GuardEntry:
    return max(entries, key=lambda entry: entry.id)


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
