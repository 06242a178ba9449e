"""`pgalign migration squash`: many migration files -> one, generated from their replay."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pglast import ast, parser

from pgalign.config import Project
from pgalign.diff.compare import diff
from pgalign.errors import HistoryError
from pgalign.expected import ReplayCatalogs
from pgalign.fingerprint import fingerprint
from pgalign.migrations.directory import MigrationDir, MigrationFile, version_key
from pgalign.migrations.statements import Statement, split_sql

# Statements that change rows, not schema: a schema replay cannot keep them.
_DATA_STATEMENTS = (
    ast.InsertStmt,
    ast.UpdateStmt,
    ast.DeleteStmt,
    ast.MergeStmt,
    ast.CopyStmt,
    ast.TruncateStmt,
    ast.DoStmt,
    ast.CallStmt,
    ast.SelectStmt,
)
HEADER = "-- Squashed by `pgalign migration squash` from {count} migrations ({first} to {last}).\n"


@dataclass
class SquashResult:
    path: Path
    squashed: list[MigrationFile]
    dropped_data: list[str] = field(default_factory=list)  # file:line: statement


def plan_squash(directory: MigrationDir, up_to: str | None) -> list[MigrationFile]:
    files = directory.files
    if up_to is not None:
        if directory.get(up_to) is None:
            raise HistoryError(
                f"no migration with version {up_to} in {directory.path}",
                "pass the version of an existing migration file",
            )
        files = [f for f in files if version_key(f.version) <= version_key(up_to)]
    if len(files) < 2:
        raise HistoryError("nothing to squash: fewer than two migrations up to that version")
    return files


def data_statements(files: list[MigrationFile]) -> list[str]:
    found: list[str] = []
    for migration in files:
        for statement in migration.statements:
            node = parser.parse_sql(statement.text)[0].stmt
            if isinstance(node, _DATA_STATEMENTS):
                first = statement.text.strip().splitlines()[-1][:80]
                found.append(f"{migration.path.name}:{statement.line}: {first}")
    return found


def squash(project: Project, directory: MigrationDir, up_to: str | None) -> SquashResult:
    """Write the squashed file in place of `files`; refuse if it would not build the same schema."""
    files = plan_squash(directory, up_to)
    replays = ReplayCatalogs(project)
    before = replays.catalog_of([], None, "the bootstrap")
    after = replays.catalog_of(files, None, "the squashed migrations")
    plan = diff(before, after)
    last = files[-1]
    text = HEADER.format(count=len(files), first=files[0].version, last=last.version)
    text += "\n" + plan.sql()
    # Prove it: the squashed text must replay to the very schema the files built.
    squashed = _TextMigration(last.version, last.name, text, last.path)
    check = replays.catalog_of([squashed], None, "the squashed file")
    if fingerprint(check) != fingerprint(after):
        leftover = ", ".join(f"{c.action} {c.kind} {c.name}" for c in diff(after, check).changes)
        raise HistoryError(
            f"the squashed migration would not rebuild the same schema ({leftover})",
            "report this as a pgalign bug; nothing was changed",
        )
    dropped = data_statements(files)
    for migration in files:
        migration.path.unlink()
    last.path.write_text(text, encoding="utf-8")
    return SquashResult(last.path, files, dropped)


@dataclass(frozen=True)
class _TextMigration:
    """A migration held in memory, replayed before it is written."""

    version: str
    name: str
    text: str
    path: Path

    @property
    def label(self) -> str:
        return f"{self.path} (squashed)"

    @property
    def statements(self) -> list[Statement]:
        return split_sql(self.text, self.label)

    def recorded_statements(self) -> list[str]:
        return [s.text for s in self.statements]


def rewrite_history(url: str, env: str, result: SquashResult) -> str:
    """Make `env`'s history say what the squash did: old rows out, the squashed one in."""
    from pgalign.connect import connect
    from pgalign.migrations.history import delete_versions, read_history, record_applied
    from pgalign.migrations.statements import split_sql as split

    versions = [m.version for m in result.squashed]
    with connect(url, application_name="pgalign squash") as conn, conn.transaction():
        recorded = {version_key(a.version): a.version for a in read_history(conn) or []}
        present = [v for v in versions if version_key(v) in recorded]
        if not present:
            return f"{env}: none of the squashed migrations is applied there; nothing to change"
        if len(present) != len(versions):
            raise HistoryError(
                f"{env} has applied only some of the squashed migrations "
                f"({', '.join(present)}); its history cannot be rewritten",
                f"push the rest to {env} first, then squash again",
            )
        delete_versions(conn, [recorded[version_key(v)] for v in versions])
        last = result.squashed[-1]
        text = result.path.read_text(encoding="utf-8")
        record_applied(conn, last.version, last.name, [s.text for s in split(text, result.path)])
    return f"{env}: history now records {last.version} in place of {len(versions)} migrations"
