"""Catalogs read from servers of different major versions, made comparable.

A shadow replay may run on another major version than the environment it stands for (the
embedded server is 18; production is often 15). PostgreSQL 16 stopped qualifying column
names in a view over a single relation: 15 prints `SELECT notes.id FROM public.notes`, 16
and later `SELECT id FROM public.notes`, for the same view. Across that boundary, views are
compared (and written) in a form with those qualifiers removed, rewritten by PostgreSQL's
own parser; between servers on the same side of it, definitions are compared as printed.
Across 17, MAINTAIN (which GRANT ALL includes from 17 on) is left out of privileges; across
18, a NOT NULL's NOT VALID and NO INHERIT (which only 18 can say) are left out; and
between any two majors an extension present on both compares at the newer version, since
each major ships its own.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pgalign.catalog.model import Catalog, CatalogObject, Extension, Table, View
from pgalign.diff.schemas import extension_version_key

UNQUALIFIED_SINCE = 160000
MAINTAIN_SINCE = 170000  # the MAINTAIN privilege on tables (an owner's is never inspected)
NOT_NULL_CONSTRAINTS_SINCE = 180000  # NOT VALID and NO INHERIT on NOT NULL


def harmonize(source: Catalog, target: Catalog) -> tuple[Catalog, Catalog]:
    """`source` and `target`, with what only their servers' major versions make differ
    put in one form, when those versions differ."""
    versions = (source.server_version, target.server_version)
    if not all(versions) or versions[0] // 10000 == versions[1] // 10000:
        return source, target
    low, high = min(versions), max(versions)
    views = low < UNQUALIFIED_SINCE <= high
    maintain = low < MAINTAIN_SINCE <= high
    not_null = low < NOT_NULL_CONSTRAINTS_SINCE <= high
    harmonized = []
    for catalog, other in ((source, target), (target, source)):
        objects = {
            key: _harmonized(obj, other.objects.get(key), views, maintain, not_null)
            for key, obj in catalog.objects.items()
        }
        harmonized.append(Catalog(objects, catalog.dependencies, catalog.server_version))
    return harmonized[0], harmonized[1]


def _harmonized(
    obj: Any, other: CatalogObject | None, views: bool, maintain: bool, not_null: bool
) -> Any:
    if views and isinstance(obj, View):
        obj = replace(obj, definition=unqualified(obj.definition))
    if maintain:
        # GRANT ALL on 17 and later includes MAINTAIN, which 15 and 16 do not know
        privileges = getattr(obj, "privileges", None)
        if privileges and any(p[1] == "MAINTAIN" for p in privileges):
            obj = replace(obj, privileges=frozenset(p for p in privileges if p[1] != "MAINTAIN"))
    if not_null and isinstance(obj, Table) and any(c.not_null_flags for c in obj.columns):
        # only 18 and later can say a NOT NULL is NOT VALID or NO INHERIT
        columns = tuple(replace(c, not_null_flags="") for c in obj.columns)
        obj = replace(obj, columns=columns)
    if isinstance(obj, Extension) and isinstance(other, Extension) and obj.schema == other.schema:
        # each major version ships its own default version of an extension
        obj = replace(obj, version=max(obj.version, other.version, key=extension_version_key))
    return obj


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
