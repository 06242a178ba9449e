"""Catalogs read from servers of different major versions, made comparable.

A shadow replay may run on another major version than the environment it stands for (the
embedded server is 18; production is often 15). PostgreSQL 16 stopped qualifying column
names in a view over a single relation: 15 prints `SELECT notes.id FROM public.notes`, 16
and later `SELECT id FROM public.notes`, for the same view. Across that boundary, views are
compared (and written) in a form with those qualifiers removed, rewritten by PostgreSQL's
own parser; between servers on the same side of it, definitions are compared as printed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pgalign.catalog.model import Catalog, View

UNQUALIFIED_SINCE = 160000


def harmonize(source: Catalog, target: Catalog) -> tuple[Catalog, Catalog]:
    """`source` and `target`, with view definitions in one form when their servers print
    them in two."""
    versions = (source.server_version, target.server_version)
    if not all(versions) or not min(versions) < UNQUALIFIED_SINCE <= max(versions):
        return source, target
    return _unqualified_views(source), _unqualified_views(target)


def _unqualified_views(catalog: Catalog) -> Catalog:
    objects = dict(catalog.objects)
    for key, obj in catalog.objects.items():
        if isinstance(obj, View):
            objects[key] = replace(obj, definition=unqualified(obj.definition))
    return Catalog(objects, catalog.dependencies, catalog.server_version)


def unqualified(definition: str) -> str:
    """A view's query with `relation.` removed from column names wherever a SELECT reads
    from that one relation alone (where the name can only mean it)."""
    from pglast import ast, parse_sql
    from pglast.parser import ParseError
    from pglast.stream import RawStream

    try:
        statements = parse_sql(definition)
    except ParseError:
        return definition  # compared as printed
    if len(statements) != 1 or not isinstance(statements[0].stmt, ast.SelectStmt):
        return definition
    query = statements[0].stmt
    _strip(query, None)
    return " " + str(RawStream()(query)) + ";"


def _strip(node: Any, relation: str | None) -> None:
    from pglast import ast

    if isinstance(node, (list, tuple)):
        for item in node:
            _strip(item, relation)
        return
    if not isinstance(node, ast.Node):
        return
    if isinstance(node, ast.SelectStmt):
        relation = _single_relation(node)
    elif isinstance(node, ast.ColumnRef):
        fields = node.fields or ()
        if (
            relation is not None
            and len(fields) == 2
            and isinstance(fields[0], ast.String)
            and isinstance(fields[1], ast.String)
            and fields[0].sval == relation
        ):
            node.fields = (fields[1],)
        return
    slots: Any = getattr(type(node), "__slots__", ())  # pglast nodes list their attributes
    for name in slots:
        _strip(getattr(node, name, None), relation)


def _single_relation(select: Any) -> str | None:
    """The name a lone relation in FROM goes by (its alias, else its own name)."""
    from pglast import ast

    sources: tuple[Any, ...] = tuple(select.fromClause or ())
    if len(sources) != 1 or not isinstance(sources[0], ast.RangeVar):
        return None
    source = sources[0]
    return str(source.alias.aliasname) if source.alias is not None else str(source.relname)
