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


def unquoted(name: str) -> str:
    """A name as the catalog holds it, from the quoted form ident() gives (one part)."""
    if name.startswith('"'):
        return name[1:-1].replace('""', '"')
    return name


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
