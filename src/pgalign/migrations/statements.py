"""Split migration SQL into statements with PostgreSQL's own parser (pglast).

Each statement keeps the comments that precede it and loses its terminating semicolon,
which is how the Supabase CLI records statements in its history table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pglast import ast, parser

from pgalign.errors import MigrationFileError

# Statements PostgreSQL refuses inside a transaction block.
_NEVER_IN_TRANSACTION = (
    ast.VacuumStmt,
    ast.CreatedbStmt,
    ast.DropdbStmt,
    ast.AlterSystemStmt,
    ast.CreateTableSpaceStmt,
    ast.DropTableSpaceStmt,
)
_TRANSACTION_BOUNDARIES = {"TRANS_STMT_BEGIN", "TRANS_STMT_START", "TRANS_STMT_COMMIT"}


@dataclass(frozen=True)
class Statement:
    number: int  # 1-based, in the file
    line: int  # 1-based line of the statement's first token
    text_line: int  # 1-based line where `text` (with its leading comments) starts
    text: str  # leading comments kept, no trailing semicolon
    kind: str  # parse node name, e.g. "CreateStmt"
    transactional: bool  # False: must run outside a transaction block
    transaction_boundary: bool  # BEGIN/START/COMMIT written in the file
    rollback: bool = False  # ROLLBACK/ABORT of the whole transaction


def split_sql(sql: str, source: str | Path = "<sql>") -> list[Statement]:
    """Split `sql` into statements; a syntax error names the file, line and column."""
    try:
        return list(_split(sql))
    except parser.ParseError as exc:
        raise _syntax_error(exc, sql, source) from None


def parse_tree(sql: str) -> tuple[Any, ...]:
    """pglast's RawStmt nodes of `sql`, parsed once per distinct text (ParseError if bad).

    One status run meets the same migration text many times (each environment's recorded
    copy, the file, the definition index): parsing dominated it before this cache.
    """
    return _parse(sql)


@lru_cache(maxsize=8192)
def _parse(sql: str) -> tuple[Any, ...]:
    return tuple(parser.parse_sql(sql))


@lru_cache(maxsize=8192)
def _split(sql: str) -> tuple[Statement, ...]:
    raw = _parse(sql)
    statements: list[Statement] = []
    boundary = 0
    for number, stmt in enumerate(raw, start=1):
        start = stmt.stmt_location or 0
        end = start + stmt.stmt_len if stmt.stmt_len else len(sql)
        chunk = sql[boundary:end]
        text_start = boundary + len(chunk) - len(chunk.lstrip())
        text = chunk.strip().rstrip(";").rstrip()
        boundary = end + 1  # past the semicolon
        node = stmt.stmt
        statements.append(
            Statement(
                number=number,
                line=sql.count("\n", 0, start) + 1,
                text_line=sql.count("\n", 0, text_start) + 1,
                text=text,
                kind=type(node).__name__,
                transactional=_transactional(node),
                transaction_boundary=_is_boundary(node),
                rollback=isinstance(node, ast.TransactionStmt)
                and getattr(node.kind, "name", "") == "TRANS_STMT_ROLLBACK",
            )
        )
    return tuple(statements)


def _syntax_error(exc: parser.ParseError, sql: str, source: str | Path) -> MigrationFileError:
    message = str(exc.args[0]) if exc.args else str(exc)
    where = str(source)
    if len(exc.args) > 1 and isinstance(exc.args[1], int):
        index = min(max(exc.args[1], 0), len(sql))
        line = sql.count("\n", 0, index) + 1
        column = index - (sql.rfind("\n", 0, index) + 1) + 1
        where = f"{source}:{line}:{column}"
    return MigrationFileError(f"{where}: SQL syntax error: {message}", "fix the SQL in that file")


def _is_boundary(node: Any) -> bool:
    return (
        isinstance(node, ast.TransactionStmt)
        and getattr(node.kind, "name", "") in _TRANSACTION_BOUNDARIES
    )


def _transactional(node: Any) -> bool:
    if isinstance(node, _NEVER_IN_TRANSACTION):
        return False
    if isinstance(node, (ast.IndexStmt, ast.DropStmt)) and node.concurrent:
        return False
    if isinstance(node, ast.ReindexStmt):
        return not any(opt.defname == "concurrently" for opt in node.params or ())
    if isinstance(node, ast.AlterTableStmt):
        for cmd in node.cmds or ():
            partition = getattr(cmd, "def_", None)
            if isinstance(partition, ast.PartitionCmd) and partition.concurrent:
                return False
    return True


def normalized_tree(sql: str) -> str | None:
    """The parse tree of `sql` without source locations, or None if it does not parse.

    Two texts with the same tree differ only in whitespace, comments and statement
    splitting, so a recorded migration is unchanged exactly when the trees match.
    """
    try:
        tree = json.loads(parser.parse_sql_json(sql))
    except parser.ParseError:
        return None
    return json.dumps(_strip_locations(tree["stmts"]), sort_keys=True)


def _strip_locations(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: _strip_locations(value)
            for key, value in node.items()
            if key not in ("location", "stmt_location", "stmt_len")
        }
    if isinstance(node, list):
        return [_strip_locations(item) for item in node]
    return node
