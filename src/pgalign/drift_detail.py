"""Say what differs about one drifted object, in words a reviewer reads quickly."""

from __future__ import annotations

import dataclasses

from pgalign.catalog.model import Catalog, Key, Table


def describe(key: Key, expected: Catalog, actual: Catalog) -> str:
    """`expected` is what the migrations say, `actual` the environment."""
    before = expected.objects.get(key)
    after = actual.objects.get(key)
    if before is None:
        return "exists here but in no migration"
    if after is None:
        return "created by the migrations but missing here"
    if isinstance(before, Table) and isinstance(after, Table):
        parts = _columns(before, after)
        parts += _fields(before, after, skip={"columns"})
        return "; ".join(parts) or "changed"
    return "; ".join(_fields(before, after, skip=set())) or "changed"


def _columns(before: Table, after: Table) -> list[str]:
    old = {c.name: c for c in before.columns}
    new = {c.name: c for c in after.columns}
    parts = []
    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    if added:
        parts.append("column(s) added: " + ", ".join(added))
    if removed:
        parts.append("column(s) removed: " + ", ".join(removed))
    for name in sorted(set(old) & set(new)):
        fields = [
            f.name
            for f in dataclasses.fields(old[name])
            if f.compare and getattr(old[name], f.name) != getattr(new[name], f.name)
        ]
        if fields:
            parts.append(f"column {name}: {', '.join(fields)} changed")
    return parts


def _fields(before: object, after: object, skip: set[str]) -> list[str]:
    assert dataclasses.is_dataclass(before) and dataclasses.is_dataclass(after)
    changed = [
        f.name
        for f in dataclasses.fields(before)
        if f.compare and f.name not in skip and getattr(before, f.name) != getattr(after, f.name)
    ]
    return [f"{', '.join(changed)} changed"] if changed else []
