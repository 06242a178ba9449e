"""Which migration last defined an object, read from the migrations' parse trees."""

from __future__ import annotations

from typing import Any

from pglast import ast, parser

from pgalign.errors import PgalignError
from pgalign.migrations.directory import MigrationDir
from pgalign.migrations.statements import parse_tree
from pgalign.sql import last_identifier

# Top-level fields that name the relation a statement works on.
_RELATION_FIELDS = ("relation", "view", "sequence", "table")
# Fields that name the object a statement creates or changes itself.
_OWN_NAME_FIELDS = ("idxname", "policy_name", "trigname")
# Statements whose relation field names a table they hang something on, not define.
_HANGS_ON_RELATION = (ast.IndexStmt, ast.CreatePolicyStmt, ast.AlterPolicyStmt, ast.CreateTrigStmt)
_NAME_LIST_FIELDS = ("funcname", "typeName", "defnames")


def defined_names(node: Any) -> set[str]:
    """The bare names of the objects a statement creates or alters (best effort)."""
    names: set[str] = set()
    for attr in () if isinstance(node, _HANGS_ON_RELATION) else _RELATION_FIELDS:
        value = getattr(node, attr, None)
        if isinstance(value, ast.RangeVar) and value.relname:
            names.add(value.relname)
    into = getattr(node, "into", None)
    if isinstance(into, ast.IntoClause) and into.rel is not None and into.rel.relname:
        names.add(into.rel.relname)
    for attr in _OWN_NAME_FIELDS:
        value = getattr(node, attr, None)
        if isinstance(value, str):
            names.add(value)
    for attr in () if isinstance(node, ast.CreateTrigStmt) else _NAME_LIST_FIELDS:
        value = getattr(node, attr, None)
        if isinstance(value, tuple) and value and isinstance(value[-1], ast.String):
            names.add(value[-1].sval or "")
    func = getattr(node, "func", None)  # CREATE PROCEDURE/FUNCTION via ObjectWithArgs
    if isinstance(func, ast.ObjectWithArgs) and func.objname:
        last = func.objname[-1]
        if isinstance(last, ast.String):
            names.add(last.sval or "")
    for cmd in getattr(node, "cmds", None) or ():
        constraint = getattr(cmd, "def_", None)
        if isinstance(constraint, ast.Constraint) and constraint.conname:
            names.add(constraint.conname)
    return names


class DefinitionIndex:
    """Name -> the last migration (file name) whose statements define or alter it."""

    def __init__(self, directory: MigrationDir) -> None:
        self._last: dict[str, str] = {}
        for migration in directory.files:
            try:
                text = migration.read_text()
                trees = parse_tree(text)
            except (PgalignError, parser.ParseError):
                continue  # reported elsewhere; this index is a courtesy
            for raw in trees:
                for name in defined_names(raw.stmt):
                    self._last[name] = migration.path.name

    def last_definer(self, kind: str, qualified: str) -> str | None:
        return self._last.get(last_identifier(qualified))
