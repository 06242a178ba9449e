"""Quoting of identifiers: every name pgalign writes into SQL goes through here."""

from __future__ import annotations

from psycopg import sql


def ident(*names: str) -> str:
    """Quote one name or a dotted qualified name given as parts: ident('s', 't') -> "s"."t"."""
    return ".".join(sql.Identifier(name).as_string(None) for name in names)


def literal(value: str) -> str:
    """Quote a string literal, for DDL that cannot take parameters (COMMENT ON, defaults)."""
    return sql.Literal(value).as_string(None)
