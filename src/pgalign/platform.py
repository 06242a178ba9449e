"""`pgalign platform snapshot`: the platform schemas of a real environment, for shadows.

The built-in Supabase stand-ins are minimal; a snapshot of a real project's auth, storage
and extensions schemas makes shadow replays as faithful as the platform itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pgalign.bootstrap import supabase_roles
from pgalign.catalog.inspect import inspect
from pgalign.catalog.model import (
    Catalog,
    DefaultPrivilege,
    EventTrigger,
    Extension,
    ForeignDataWrapper,
    ForeignServer,
    Key,
    Policy,
    Publication,
    Trigger,
    empty_catalog,
)
from pgalign.config import Project
from pgalign.diff.compare import diff
from pgalign.expected import platform_snapshot_path
from pgalign.server import embedded_installation, system_installations
from pgalign.shadow import extensions_of
from pgalign.sql import last_identifier
from pgalign.targets import Target

PLATFORM_SCHEMAS = ("auth", "storage", "extensions")
HEADER = """-- Platform schemas of {env} ({schemas}), written by `pgalign platform snapshot`.
-- Shadow databases start from this file instead of pgalign's built-in stand-ins.
-- Regenerate it when the platform changes; delete it to go back to the built-in ones.
"""


@dataclass(frozen=True)
class Snapshot:
    path: Path
    objects: int
    skipped_extensions: list[str]


# Database-wide objects: the roles part of the bootstrap owns them, not the snapshot.
_DATABASE_WIDE = (Publication, DefaultPrivilege, EventTrigger, ForeignDataWrapper, ForeignServer)


def _kept(key: Key, obj: object, skipped: list[str], catalog: Catalog) -> bool:
    if isinstance(obj, _DATABASE_WIDE):
        return False
    # Policies and triggers that call user code belong to the user's migrations, not the platform.
    if isinstance(obj, Policy):
        return False
    if isinstance(obj, Trigger):
        needs = catalog.dependencies.get(key, frozenset())
        return all(dep in catalog.objects for dep in needs if dep[0] == "function")
    return not (isinstance(obj, Extension) and obj.name in skipped)


def snapshot(
    project: Project, target: Target, schemas: tuple[str, ...] = PLATFORM_SCHEMAS
) -> Snapshot:
    catalog = inspect(target.url, schemas=schemas)
    available = extensions_of(embedded_installation()).union(
        *(extensions_of(inst) for inst in system_installations())
    )
    skipped = sorted(
        obj.name
        for obj in catalog.of_type(Extension)
        if last_identifier(obj.name) not in available  # catalog names are quoted SQL
    )
    kept = Catalog(
        {k: v for k, v in catalog.objects.items() if _kept(k, v, skipped, catalog)},
        dict(catalog.dependencies),
    )
    plan = diff(empty_catalog(), kept)
    text = HEADER.format(env=target.name, schemas=", ".join(schemas))
    for name in skipped:
        text += f"-- extension {name} is not replayed: no local PostgreSQL server ships it\n"
    text += "\n" + supabase_roles() + "\n" + plan.sql()
    path = platform_snapshot_path(project)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return Snapshot(path, len(kept), skipped)
