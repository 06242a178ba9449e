"""Renames break every running client that still uses the old name."""

from __future__ import annotations

from collections.abc import Iterator

from pglast import ast
from pglast.enums import ObjectType

from pgalign.lint.context import FileContext
from pgalign.lint.nodes import display, table_key

_BREAKS = "breaks code that still uses the old name"


def renaming_table(node: ast.Node, ctx: FileContext) -> Iterator[str]:
    for table, rename in _renames_of_existing(node, ctx, ObjectType.OBJECT_TABLE):
        yield f"renaming table {table} to {rename.newname} {_BREAKS}"


def renaming_column(node: ast.Node, ctx: FileContext) -> Iterator[str]:
    for table, rename in _renames_of_existing(node, ctx, ObjectType.OBJECT_COLUMN):
        yield f"renaming column {table}.{rename.subname} to {rename.newname} {_BREAKS}"


def _renames_of_existing(
    node: ast.Node, ctx: FileContext, kind: ObjectType
) -> Iterator[tuple[str, ast.RenameStmt]]:
    """(table, statement) when `node` renames a `kind` of a table that existed before."""
    if not isinstance(node, ast.RenameStmt) or node.renameType != kind:
        return
    if not ctx.is_new(node.relation):
        yield display(table_key(node.relation)), node
