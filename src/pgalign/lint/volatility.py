"""Whether a column default is volatile, which makes ADD COLUMN rewrite the whole table.

Since PostgreSQL 11 a non-volatile default is stored once in the catalog; a volatile one is
evaluated for every existing row under an ACCESS EXCLUSIVE lock. Without a database we cannot
look up pg_proc.provolatile, so we know the common built-ins and Supabase helpers by name and
treat any other function as volatile (ignore the finding for a function you know is STABLE).
"""

from __future__ import annotations

from pglast import ast

from pgalign.lint.nodes import dotted, walk

VOLATILE = frozenset(
    {
        "random",
        "random_normal",
        "gen_random_uuid",
        "gen_random_bytes",
        "uuid_generate_v1",
        "uuid_generate_v1mc",
        "uuid_generate_v4",
        "uuidv4",
        "uuidv7",
        "clock_timestamp",
        "timeofday",
        "nextval",
    }
)
NOT_VOLATILE = frozenset(
    {
        # STABLE: fixed for the statement, so stored once.
        "now",
        "transaction_timestamp",
        "statement_timestamp",
        "current_setting",
        "current_database",
        "current_schema",
        "auth.uid",
        "auth.role",
        "auth.email",
        "auth.jwt",
        # IMMUTABLE.
        "lower",
        "upper",
        "concat",
        "length",
        "abs",
        "date_trunc",
        "make_interval",
        "timezone",
        "to_json",
        "to_jsonb",
        "json_build_object",
        "json_build_array",
        "jsonb_build_object",
        "jsonb_build_array",
    }
)
_UNQUALIFIED_SCHEMAS = frozenset({"", "pg_catalog", "public", "extensions"})
_SERIAL_TYPES = frozenset({"serial", "serial2", "serial4", "serial8", "smallserial", "bigserial"})


def volatile_call(expression: ast.Node | None) -> str | None:
    """The name of the first function in `expression` not known to be non-volatile."""
    for node in walk(expression):
        if isinstance(node, ast.FuncCall):
            name = dotted(node.funcname)
            if _canonical(name) not in NOT_VOLATILE:
                return name
    return None


def known_volatile(name: str) -> bool:
    return _canonical(name) in VOLATILE


def _canonical(name: str) -> str:
    """Built-ins and extension functions by bare name, wherever they are installed: Supabase
    puts uuid-ossp and pgcrypto in the `extensions` schema."""
    schema, _, bare = name.rpartition(".")
    return bare if schema in _UNQUALIFIED_SCHEMAS else name


def is_serial(type_name: ast.TypeName | None) -> bool:
    """serial and friends: an implicit nextval() default."""
    if type_name is None or not type_name.names or len(type_name.names) != 1:
        return False
    return dotted(type_name.names) in _SERIAL_TYPES
