"""Small readers of pglast parse nodes shared by the rules."""

from __future__ import annotations

from collections.abc import Iterator

from pglast import ast
from pglast.enums import AlterTableType

# Unqualified names resolve to public under Supabase's (and PostgreSQL's) default search_path.
DEFAULT_SCHEMA = "public"

TableKey = tuple[str, str]


def table_key(relation: ast.RangeVar | None) -> TableKey | None:
    if relation is None or relation.relname is None:
        return None
    return (relation.schemaname or DEFAULT_SCHEMA, relation.relname)


def name_key(parts: tuple[ast.Node, ...]) -> TableKey | None:
    """The key of a dotted name as DROP writes it: (String,) or (String, String)."""
    names = [part.sval for part in parts if isinstance(part, ast.String) and part.sval]
    if not names:
        return None
    return (names[-2] if len(names) > 1 else DEFAULT_SCHEMA, names[-1])


def display(key: TableKey | None) -> str:
    if key is None:
        return "?"
    schema, name = key
    return name if schema == DEFAULT_SCHEMA else f"{schema}.{name}"


def dotted(parts: tuple[ast.Node, ...] | None) -> str:
    """A list of String nodes as written: schema.name, function name, type name."""
    return ".".join(p.sval for p in parts or () if isinstance(p, ast.String) and p.sval)


def alter_commands(node: ast.Node, *subtypes: AlterTableType) -> Iterator[ast.AlterTableCmd]:
    """The ALTER TABLE sub-commands of `node` that have one of `subtypes`."""
    if not isinstance(node, ast.AlterTableStmt):
        return
    for cmd in node.cmds or ():
        if isinstance(cmd, ast.AlterTableCmd) and cmd.subtype in subtypes:
            yield cmd


def walk(node: object) -> Iterator[ast.Node]:
    """`node` and every node below it, depth first."""
    if isinstance(node, ast.Node):
        yield node
        for attribute in node:
            yield from walk(getattr(node, attribute))
    elif isinstance(node, tuple):
        for item in node:
            yield from walk(item)
