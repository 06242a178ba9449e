"""Which schemas a catalog covers: by default everything but what Supabase manages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

SUPABASE_MANAGED = frozenset(
    {
        "auth",
        "storage",
        "realtime",
        "extensions",
        "graphql",
        "graphql_public",
        "vault",
        "pgsodium",
        "pgsodium_masks",
        "net",
        "cron",
        "supabase_functions",
        "supabase_migrations",
        "pgbouncer",
        "_realtime",
        "_analytics",
        "_supavisor",
        "information_schema",
    }
)
# Users write RLS policies and triggers on these platform tables in their own migrations.
USER_HOOKED = frozenset({"auth", "storage"})


# pgalign's own schemas (the guard's DDL log): never part of a user's schema, whatever the scope.
PGALIGN_OWNED = frozenset({"pgalign_guard"})


def _system(schema: str) -> bool:
    return schema.startswith("pg_") or schema == "information_schema" or schema in PGALIGN_OWNED


@dataclass(frozen=True)
class Scope:
    """`schemas` (when given) lists the only schemas in scope; `exclude` removes more."""

    schemas: frozenset[str] | None = None
    exclude: frozenset[str] = frozenset()
    exclude_managed: bool = True

    @classmethod
    def of(
        cls, schemas: Iterable[str] | None = None, exclude_schemas: Iterable[str] | None = None
    ) -> Scope:
        return cls(
            frozenset(schemas) if schemas else None,
            frozenset(exclude_schemas or ()),
        )

    def includes(self, schema: str) -> bool:
        if _system(schema) or schema in self.exclude:
            return False
        if self.schemas is not None:
            return schema in self.schemas
        return not (self.exclude_managed and schema in SUPABASE_MANAGED)

    def includes_extension(self, schema: str) -> bool:
        """Supabase installs extensions into `extensions`: what is in it is the platform's,
        but which extensions a project uses (and their versions) is the project's."""
        if self.includes(schema):
            return True
        return self.schemas is None and schema == "extensions" and schema not in self.exclude

    def includes_cast(self, schemas: list[str]) -> bool:
        """A cast, given the schemas of its types and function outside PostgreSQL's own:
        in scope with any of them, or always when it has none (it is the database's)."""
        return not schemas or any(self.includes(schema) for schema in schemas)

    def includes_hook(self, table_schema: str, owner_schema: str | None) -> bool:
        """A policy or trigger on a table in `table_schema` whose code lives in `owner_schema`
        (None: no code of its own, like a policy)."""
        if self.includes(table_schema):
            return True
        if self.schemas is not None or table_schema in self.exclude:
            return False
        if table_schema not in USER_HOOKED:
            return False
        return owner_schema is None or self.includes(owner_schema)
