"""Quoting of identifiers: every name pgalign writes into SQL goes through here."""

from __future__ import annotations

from functools import cache

from psycopg import sql


def ident(*names: str) -> str:
    """Quote one name or a dotted qualified name given as parts: ident('s', 't') -> "s"."t"."""
    return ".".join(_quoted(name) for name in names)


@cache  # the same few role and schema names, quoted for thousands of objects
def _quoted(name: str) -> str:
    return sql.Identifier(name).as_string(None)


def last_identifier(qualified: str) -> str:
    """`"public"."f"(integer)` -> `f`: the object's own name in a catalog identity."""
    from pglast import parser  # PostgreSQL's own scanner; imported only when asked for

    text = qualified.split("(", 1)[0]
    tokens = parser.scan(text)
    if not tokens:
        return text
    last = tokens[-1]
    word = text[last.start : last.end + 1]
    if word.startswith('"') and word.endswith('"'):
        return word[1:-1].replace('""', '"')
    return word


def literal(value: str) -> str:
    """Quote a string literal, for DDL that cannot take parameters (COMMENT ON, defaults)."""
    return sql.Literal(value).as_string(None)


def dollar_quoted(body: str) -> str:
    """`body` between dollar quotes whose tag it does not contain (for DO blocks)."""
    tag = "$pgalign$"
    number = 0
    while tag in body:
        number += 1
        tag = f"$pgalign{number}$"
    return f"{tag}{body}{tag}"


def column_references(expression: str) -> frozenset[str]:
    """The names (unquoted) of the columns an expression reads (a generated column's, say)."""
    return _columns_read(f"SELECT {expression}")


def partition_key_columns(partition_key: str) -> frozenset[str]:
    """The names (unquoted) of the columns a partition key (`LIST (a)`) is made of."""
    return _columns_read(f"CREATE TABLE t () PARTITION BY {partition_key}")


def row_filter_columns(member: str) -> frozenset[str]:
    """The names (unquoted) of the columns a publication member's column list names and
    its row filter reads (`TABLE s.t (a) WHERE (b > 0)` -> a, b)."""
    return _columns_read(f"ALTER PUBLICATION p ADD {member}")


def _columns_read(statement: str) -> frozenset[str]:
    from pglast import ast, parse_sql  # imported only when asked for
    from pglast.visitors import Visitor

    names: set[str] = set()

    class Columns(Visitor):
        def visit_ColumnRef(self, ancestors: object, node: ast.ColumnRef) -> None:
            last = node.fields[-1] if node.fields else None
            if isinstance(last, ast.String) and last.sval is not None:
                names.add(last.sval)

        def visit_PartitionElem(self, ancestors: object, node: ast.PartitionElem) -> None:
            if node.name is not None:
                names.add(node.name)

        def visit_PublicationTable(self, ancestors: object, node: ast.PublicationTable) -> None:
            for col in node.columns or ():
                if isinstance(col, ast.String) and col.sval is not None:
                    names.add(col.sval)

    Columns()(parse_sql(statement))
    return frozenset(names)


def key_with_index_options(definition: str, options: tuple[str, ...]) -> str:
    """A PRIMARY KEY or UNIQUE definition (as pg_get_constraintdef prints it, which leaves
    its index's storage options out) with `options` (`fillfactor=70`) in their place."""
    from pglast import ast, parse_sql  # imported only when asked for
    from pglast.stream import RawStream

    (raw,) = parse_sql(f"ALTER TABLE t ADD {definition}")
    assert isinstance(raw.stmt, ast.AlterTableStmt) and raw.stmt.cmds
    constraint = raw.stmt.cmds[0].def_
    assert isinstance(constraint, ast.Constraint)
    pairs = (option.split("=", 1) for option in options)  # reloptions: name=value
    constraint.options = tuple(ast.DefElem(defname=k, arg=ast.String(sval=v)) for k, v in pairs)
    return str(RawStream()(constraint))
