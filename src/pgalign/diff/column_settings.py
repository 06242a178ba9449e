"""Columns' storage, compression, statistics target and options (n_distinct...). Each
table's are set on it alone (ONLY): PostgreSQL recurses them into children, and a child's
are its own in the catalog, set by its own statements."""

from __future__ import annotations

from pgalign.catalog.model import Catalog, Column, ColumnSettings, Table
from pgalign.diff import hazards
from pgalign.diff.plan import Statement

STORAGE = {"p": "PLAIN", "e": "EXTERNAL", "m": "MAIN", "x": "EXTENDED"}
USUAL = ColumnSettings(None, None, None, ())


def as_created(table: Table, col: Column, catalog: Catalog) -> ColumnSettings | None:
    """What a new table's column starts with: a child copies its parent's storage and
    compression."""
    inherited = catalog.parent_column(table, col.name)
    settings = inherited.settings if inherited is not None else None
    if settings is None or (settings.storage is None and settings.compression is None):
        return None
    return ColumnSettings(settings.storage, settings.compression, None, ())


def as_altered(prior: Column, col: Column) -> ColumnSettings | None:
    """What a column keeps through its table's alteration."""
    return prior.settings if prior.type == col.type else retyped(prior.settings)


def retyped(settings: ColumnSettings | None) -> ColumnSettings | None:
    """What ALTER COLUMN ... TYPE leaves of a column's settings: its new type's storage and
    the usual compression (even when the type stays and only the collation changes)."""
    if settings is None or (settings.statistics is None and not settings.options):
        return None
    return ColumnSettings(None, None, settings.statistics, settings.options)


def settings_changes(
    table: str, col: str, was: ColumnSettings | None, now: ColumnSettings | None
) -> list[Statement]:
    before, after = was or USUAL, now or USUAL
    head = f"ALTER TABLE ONLY {table} ALTER COLUMN {col}"
    lock = (hazards.exclusive_lock(table),)
    out = []
    if before.storage != after.storage:
        # back to the usual: the type's own (15 has no SET STORAGE DEFAULT)
        code = after.storage[0] if after.storage else (before.storage or "xx")[1]
        out.append(Statement(f"{head} SET STORAGE {STORAGE[code]}", lock))
    if before.compression != after.compression:
        out.append(Statement(f"{head} SET COMPRESSION {after.compression or 'DEFAULT'}", lock))
    if before.statistics != after.statistics:
        target = -1 if after.statistics is None else after.statistics
        out.append(Statement(f"{head} SET STATISTICS {target}"))
    if before.options != after.options:
        names = {option.split("=", 1)[0] for option in after.options}
        gone = [o.split("=", 1)[0] for o in before.options if o.split("=", 1)[0] not in names]
        if gone:
            out.append(Statement(f"{head} RESET ({', '.join(gone)})"))
        if after.options:
            out.append(Statement(f"{head} SET ({', '.join(after.options)})"))
    return out
