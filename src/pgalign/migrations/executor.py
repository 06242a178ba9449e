"""Apply migrations: one advisory lock per push, one transaction per migration.

A migration and its history row commit together. Statements PostgreSQL refuses inside a
transaction block run on their own; the history row is then written only after every
statement succeeded, and a failure says exactly what was already committed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Protocol

import psycopg

from pgalign.connect import Conn, connect, error_line
from pgalign.errors import HistoryError, MigrationFailed, MigrationFileError
from pgalign.migrations.directory import MigrationDir, MigrationFile
from pgalign.migrations.history import ensure_history_table, read_history, record_applied
from pgalign.migrations.reconcile import Reconciliation, State, reconcile
from pgalign.migrations.statements import Statement

# 'pgalign' in ASCII: the key of the session advisory lock every push takes.
PUSH_LOCK_KEY = 0x7067616C69676E

Progress = Callable[[MigrationFile, int, int], None]


@dataclass(frozen=True)
class Timeouts:
    lock_timeout: str
    statement_timeout: str


@dataclass
class PushPlan:
    target: str  # environment name, for messages
    reconciliation: Reconciliation
    migrations: list[MigrationFile] = field(default_factory=list)


def refusal(
    reconciliation: Reconciliation, target: str, target_flag: str, include_all: bool
) -> HistoryError | None:
    """Why a push must not go ahead, with the command that resolves each problem."""
    details: list[str] = []
    missing = reconciliation.versions(State.MISSING_LOCAL)
    if missing:
        details.append(
            f"missing_local {', '.join(missing)}: applied on {target} but no file here; "
            f"restore them with `pgalign migration fetch {target_flag}`, or if they were "
            f"undone on purpose `pgalign migration repair {' '.join(missing)} "
            f"--status reverted {target_flag}`"
        )
    late = reconciliation.versions(State.OUT_OF_ORDER)
    if late and not include_all:
        details.append(
            f"out_of_order {', '.join(late)}: older than the newest version applied on "
            f"{target}; apply them anyway with `pgalign push {target_flag} --include-all`"
        )
    modified = reconciliation.versions(State.MODIFIED)
    if modified:
        details.append(
            f"modified {', '.join(modified)}: the files changed after they were applied on "
            f"{target}; restore the files (e.g. `git checkout` them or `pgalign migration "
            f"fetch {target_flag} --overwrite`), or if {target} already matches the new text "
            f"`pgalign migration repair {' '.join(modified)} --status applied {target_flag}`"
        )
    if not details:
        return None
    return HistoryError(
        f"cannot push to {target}: its migration history does not match the directory",
        details=details,
    )


class PushSession:
    """A connection to the target holding the push lock for its whole life."""

    def __init__(self, url: str, target: str, timeouts: Timeouts, *, lock: bool = True) -> None:
        self.url = url
        self.target = target
        self.conn = connect(url, autocommit=True, application_name="pgalign push")
        self.locked = False
        try:
            self.conn.execute(
                "SELECT set_config('lock_timeout', %s, false)", (timeouts.lock_timeout,)
            )
            self.conn.execute(
                "SELECT set_config('statement_timeout', %s, false)", (timeouts.statement_timeout,)
            )
            if lock:
                self._lock()
        except BaseException:
            self.conn.close()
            raise

    def _lock(self) -> None:
        row = self.conn.execute("SELECT pg_try_advisory_lock(%s)", (PUSH_LOCK_KEY,)).fetchone()
        if not row or not row[0]:
            raise HistoryError(
                f"another pgalign push is running on {self.target} (it holds the migration lock)",
                "wait for it to finish, then run push again",
            )
        self.locked = True

    def __enter__(self) -> PushSession:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if self.locked and not self.conn.closed:
                # Released now: a closed session releases it only when its server process
                # has exited, which a push run right after could beat.
                self.conn.execute("SELECT pg_advisory_unlock(%s)", (PUSH_LOCK_KEY,))
        except psycopg.Error:
            pass  # (a broken session: its end releases the lock)
        finally:
            self.conn.close()

    def reconcile(self, directory: MigrationDir) -> Reconciliation:
        return reconcile(directory, read_history(self.conn))

    def plan(self, directory: MigrationDir, target_flag: str, include_all: bool) -> PushPlan:
        reconciliation = self.reconcile(directory)
        problem = refusal(reconciliation, self.target, target_flag, include_all)
        if problem is not None:
            raise problem
        migrations = reconciliation.to_apply(include_all)
        for migration in migrations:
            if not executable(migration):
                raise MigrationFileError(
                    f"{migration.path}: the migration has no SQL statements",
                    "write its SQL, or delete the file if it is not needed",
                )
        return PushPlan(self.target, reconciliation, migrations)

    def apply(self, plan: PushPlan, progress: Progress | None = None) -> list[MigrationFile]:
        try:
            with self.conn.transaction():
                ensure_history_table(self.conn)
        except psycopg.Error as exc:
            role = self.conn.info.user
            raise HistoryError(
                f"role {role} cannot create the migration history table on {self.target}: "
                f"{error_line(exc, self.url)}",
                "push as a role that may create schemas and tables in this database "
                "(e.g. its owner); nothing was applied",
            ) from None
        done: list[MigrationFile] = []
        for index, migration in enumerate(plan.migrations, start=1):
            if progress is not None:
                progress(migration, index, len(plan.migrations))
            self._apply_one(migration)
            done.append(migration)
        return done

    def _apply_one(self, migration: MigrationFile) -> None:
        apply_migration(self.conn, migration, self.url)


class Applicable(Protocol):
    """A migration from a file or from an environment's recorded history."""

    @property
    def version(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def label(self) -> str: ...

    @property
    def statements(self) -> list[Statement]: ...

    def recorded_statements(self) -> list[str]: ...


def apply_migration(conn: Conn, migration: Applicable, url: str) -> None:
    """Run one migration and write its history row; `conn` must be in autocommit mode."""
    committed: list[Statement] = []
    segments = list(_segments(executable(migration), conn.info.server_version))
    for position, (in_transaction, statements) in enumerate(segments):
        last = position == len(segments) - 1
        if in_transaction:
            with conn.transaction():
                for statement in statements:
                    _execute(conn, migration, statement, committed, url)
                if last:
                    _record(conn, migration, url)
            committed.extend(statements)
        else:
            for statement in statements:
                _execute(conn, migration, statement, committed, url)
                committed.append(statement)
            if last:
                with conn.transaction():
                    _record(conn, migration, url)


def _record(conn: Conn, migration: Applicable, url: str) -> None:
    try:
        record_applied(conn, migration.version, migration.name, migration.recorded_statements())
    except psycopg.Error as exc:
        raise MigrationFailed(
            f"{migration.label}: its history row could not be written: {error_line(exc, url)}; "
            "the migration was rolled back with it",
            "push as a role that may write supabase_migrations.schema_migrations",
        ) from None


def _execute(
    conn: Conn, migration: Applicable, statement: Statement, committed: list[Statement], url: str
) -> None:
    try:
        conn.execute(statement.text)
    except psycopg.Error as exc:
        raise _failure(migration, statement, exc, committed, url) from None


def executable(migration: Applicable) -> list[Statement]:
    """The statements pgalign runs: BEGIN/COMMIT in the file are left to pgalign."""
    statements = migration.statements
    for statement in statements:
        if statement.rollback:
            raise MigrationFileError(
                f"{migration.label}:{statement.line}: ROLLBACK in a migration",
                "remove it: pgalign runs each migration in its own transaction",
            )
    return [s for s in statements if not s.transaction_boundary]


def _segments(
    statements: list[Statement], server_version: int
) -> Iterator[tuple[bool, list[Statement]]]:
    """Runs of statements that share a transaction, and lone ones that cannot."""
    run: list[Statement] = []
    for statement in statements:
        # Before PostgreSQL 12, ALTER TYPE ... ADD VALUE cannot run in a transaction block.
        alone = not statement.transactional or (
            statement.kind == "AlterEnumStmt" and server_version < 120000
        )
        if alone:
            if run:
                yield True, run
                run = []
            yield False, [statement]
        else:
            run.append(statement)
    if run:
        yield True, run


def _failure(
    migration: Applicable,
    statement: Statement,
    exc: psycopg.Error,
    committed: list[Statement],
    url: str,
) -> MigrationFailed:
    line = statement.line
    diag = exc.diag
    if diag is not None and diag.statement_position:
        offset = int(diag.statement_position) - 1
        line = statement.text_line + statement.text.count("\n", 0, offset)
    message = error_line(exc, url)
    if isinstance(exc, psycopg.OperationalError) and exc.sqlstate is None:
        message = f"connection lost ({message})"
    from pgalign.migrations.recorded import RecordedMigration

    if isinstance(migration, RecordedMigration):  # no file: say where in its recorded SQL
        where = f"{migration.label}: statement {statement.number} (line {line} of it)"
    else:
        where = f"{migration.label}:{line}: statement {statement.number}"
    if committed:
        numbers = ", ".join(str(s.number) for s in committed)
        outcome = (
            f"statements {numbers} of this migration ran outside a transaction and stay "
            "committed; its history row was not written"
        )
    else:
        outcome = "nothing of this migration was applied"
    if exc.sqlstate == "55P03":  # lock_not_available: lock_timeout expired
        hint = (
            "another session holds a lock on that table: run push again when it is done "
            "(pg_stat_activity shows it), or raise --lock-timeout"
        )
    else:
        hint = "fix the statement, then run push again"
    return MigrationFailed(f"{where} failed: {message}; {outcome}", hint, migration.version)
