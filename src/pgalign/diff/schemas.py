"""Schemas, extensions and collations."""

from __future__ import annotations

from pgalign.catalog.model import Collation, Extension, Schema
from pgalign.diff.common import Alteration, Context, comment, grants, owner
from pgalign.diff.plan import Statement
from pgalign.sql import literal


class SchemaGenerator:
    def create(self, new: Schema, ctx: Context) -> list[Statement]:
        return [
            Statement(f"CREATE SCHEMA {new.name}"),
            *comment("SCHEMA", new.name, None, new.comment),
            *grants("SCHEMA", new.name, None, new.privileges, ctx, new.owner),
        ]

    def drop(self, old: Schema, ctx: Context) -> list[Statement]:
        return [Statement(f"DROP SCHEMA {old.name}")]

    def alter(self, old: Schema, new: Schema, ctx: Context) -> Alteration | None:
        return Alteration(
            create_phase=(
                *owner("SCHEMA", new.name, old.owner, new.owner, ctx),
                *comment("SCHEMA", new.name, old.comment, new.comment),
                *grants("SCHEMA", new.name, old.privileges, new.privileges, ctx, new.owner),
            )
        )


class ExtensionGenerator:
    def create(self, new: Extension, ctx: Context) -> list[Statement]:
        return [
            Statement(
                f"CREATE EXTENSION {new.name} WITH SCHEMA {new.schema} "
                f"VERSION {literal(new.version)}"
            ),
            *comment("EXTENSION", new.name, new.default_comment, new.comment),
        ]

    def drop(self, old: Extension, ctx: Context) -> list[Statement]:
        return [Statement(f"DROP EXTENSION {old.name}")]

    def alter(self, old: Extension, new: Extension, ctx: Context) -> Alteration | None:
        if extension_version_key(new.version) < extension_version_key(old.version):
            return None  # extensions have no downgrade scripts: reinstall at that version
        out = []
        if old.schema != new.schema:
            out.append(Statement(f"ALTER EXTENSION {new.name} SET SCHEMA {new.schema}"))
        if old.version != new.version:
            out.append(Statement(f"ALTER EXTENSION {new.name} UPDATE TO {literal(new.version)}"))
        out += comment("EXTENSION", new.name, old.comment, new.comment)
        return Alteration(create_phase=tuple(out))


def extension_version_key(version: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(part), "") if part.isdigit() else (-1, part) for part in version.split("."))


class CollationGenerator:
    def create(self, new: Collation, ctx: Context) -> list[Statement]:
        provider = {"i": "icu", "c": "libc", "b": "builtin", "d": "libc"}[new.provider]
        options = [f"provider = {provider}"]
        if new.locale:
            options.append(f"locale = {literal(new.locale)}")
        else:
            options.append(f"lc_collate = {literal(new.lc_collate or '')}")
            options.append(f"lc_ctype = {literal(new.lc_ctype or '')}")
        if not new.deterministic:
            options.append("deterministic = false")
        return [
            Statement(f"CREATE COLLATION {new.qualified} ({', '.join(options)})"),
            *comment("COLLATION", new.qualified, None, new.comment),
        ]

    def drop(self, old: Collation, ctx: Context) -> list[Statement]:
        return [Statement(f"DROP COLLATION {old.qualified}")]

    def alter(self, old: Collation, new: Collation, ctx: Context) -> Alteration | None:
        if (old.provider, old.locale, old.lc_collate, old.lc_ctype, old.deterministic) != (
            new.provider,
            new.locale,
            new.lc_collate,
            new.lc_ctype,
            new.deterministic,
        ):
            return None
        return Alteration(
            create_phase=(
                *owner("COLLATION", new.qualified, old.owner, new.owner, ctx),
                *comment("COLLATION", new.qualified, old.comment, new.comment),
            )
        )
