"""Locks that block other sessions, and CONCURRENTLY where PostgreSQL refuses it."""

from __future__ import annotations

from collections.abc import Iterator

from pglast import ast
from pglast.enums import AlterTableType

from pgalign.lint.context import FileContext
from pgalign.lint.locks import access_exclusive_target
from pgalign.lint.nodes import alter_commands, display, table_key


def require_concurrent_index_creation(node: ast.Node, ctx: FileContext) -> Iterator[str]:
    if isinstance(node, ast.IndexStmt) and not node.concurrent and not ctx.is_new(node.relation):
        yield (
            f"CREATE INDEX on {display(table_key(node.relation))} blocks writes to the table "
            "until the index is built"
        )


def ban_concurrently_in_transaction(node: ast.Node, ctx: FileContext) -> Iterator[str]:
    if ctx.in_transaction and _concurrently(node):
        yield (
            "CONCURRENTLY cannot run inside a transaction block: PostgreSQL rejects it after "
            "the BEGIN above"
        )


def require_lock_timeout(node: ast.Node, ctx: FileContext) -> Iterator[str]:
    if ctx.lock_timeout_set or ctx.lock_timeout_reported:
        return
    table = access_exclusive_target(node, ctx)
    if table is not None:
        ctx.lock_timeout_reported = True  # once per file: the fix is one SET at the top
        yield (
            f"takes an ACCESS EXCLUSIVE lock on {table} with no lock_timeout set earlier in "
            "the file: while it waits for the lock, every query on the table queues behind it"
        )


def _concurrently(node: ast.Node) -> bool:
    if isinstance(node, ast.IndexStmt | ast.DropStmt):
        return bool(node.concurrent)
    if isinstance(node, ast.ReindexStmt):
        return any(
            isinstance(p, ast.DefElem) and p.defname == "concurrently" for p in node.params or ()
        )
    return any(
        isinstance(cmd.def_, ast.PartitionCmd) and bool(cmd.def_.concurrent)
        for cmd in alter_commands(node, AlterTableType.AT_DetachPartition)
    )
