"""Statements that delete data or objects: drops, CASCADE, TRUNCATE ... CASCADE."""

from __future__ import annotations

from collections.abc import Iterator

from pglast import ast
from pglast.enums import AlterTableType, DropBehavior, ObjectType

from pgalign.lint.context import FileContext
from pgalign.lint.nodes import alter_commands, display, name_key

_CASCADE_COMMANDS = (AlterTableType.AT_DropColumn, AlterTableType.AT_DropConstraint)


def ban_drop_table(node: ast.Node, ctx: FileContext) -> Iterator[str]:
    if not isinstance(node, ast.DropStmt) or node.removeType != ObjectType.OBJECT_TABLE:
        return
    for parts in node.objects or ():
        key = name_key(parts)
        if key not in ctx.new_tables:
            yield f"DROP TABLE {display(key)} deletes the table and all its rows"


def ban_drop_column(node: ast.Node, ctx: FileContext) -> Iterator[str]:
    for table, cmd in ctx.existing_table_commands(node, AlterTableType.AT_DropColumn):
        yield (
            f"DROP COLUMN {table}.{cmd.name} deletes the column's data, and running code that "
            "still reads it fails"
        )


def ban_drop_schema(node: ast.Node, ctx: FileContext) -> Iterator[str]:
    if isinstance(node, ast.DropStmt) and node.removeType == ObjectType.OBJECT_SCHEMA:
        for name in node.objects or ():
            schema = name.sval if isinstance(name, ast.String) else "?"
            yield f"DROP SCHEMA {schema} deletes the schema and, with CASCADE, all it contains"


def ban_drop_cascade(node: ast.Node, ctx: FileContext) -> Iterator[str]:
    if isinstance(node, ast.DropStmt) and node.behavior == DropBehavior.DROP_CASCADE:
        kind = (
            node.removeType.name.removeprefix("OBJECT_").replace("_", " ")
            if node.removeType
            else ""
        )
        yield f"DROP {kind} ... CASCADE also drops every object that depends on it, unnamed here"
    for cmd in alter_commands(node, *_CASCADE_COMMANDS):
        if cmd.behavior == DropBehavior.DROP_CASCADE:
            yield f"DROP ... {cmd.name} CASCADE also drops every object that depends on it"


def ban_truncate_cascade(node: ast.Node, ctx: FileContext) -> Iterator[str]:
    if isinstance(node, ast.TruncateStmt) and node.behavior == DropBehavior.DROP_CASCADE:
        yield (
            "TRUNCATE ... CASCADE also empties every table with a foreign key to these "
            "tables, recursively"
        )
