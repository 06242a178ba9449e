"""Foreign data wrappers and foreign servers; the OPTIONS of every foreign object."""

from __future__ import annotations

from pgalign.catalog.model import ForeignDataWrapper, ForeignServer, Options
from pgalign.diff import hazards
from pgalign.diff.common import Alteration, Context, comment, grants, owner
from pgalign.diff.plan import Statement
from pgalign.sql import literal

WRAPPER = "FOREIGN DATA WRAPPER"


def fdw_options_clause(options: Options) -> str:
    """` OPTIONS (name 'value', ...)` for a CREATE, or nothing."""
    if not options:
        return ""
    return f" OPTIONS ({', '.join(f'{name} {value}' for name, value in options)})"


def fdw_options_changes(old: Options, new: Options) -> str:
    """` OPTIONS (DROP ..., SET ..., ADD ...)` turning `old` into `new`, or nothing."""
    before, after = dict(old), dict(new)
    parts = [f"DROP {name}" for name in before if name not in after]
    parts += [f"SET {name} {value}" for name, value in new if before.get(name, value) != value]
    parts += [f"ADD {name} {value}" for name, value in new if name not in before]
    return f" OPTIONS ({', '.join(parts)})" if parts else ""


def _wrapper_functions(old: ForeignDataWrapper | None, new: ForeignDataWrapper) -> str:
    """` HANDLER h VALIDATOR v` as they change (a new wrapper has neither)."""
    out = ""
    if (old.handler if old else None) != new.handler:
        out += f" HANDLER {new.handler}" if new.handler else " NO HANDLER"
    if (old.validator if old else None) != new.validator:
        out += f" VALIDATOR {new.validator}" if new.validator else " NO VALIDATOR"
    return out


class ForeignDataWrapperGenerator:
    def create(self, new: ForeignDataWrapper, ctx: Context) -> list[Statement]:
        made = f"CREATE {WRAPPER} {new.name}{_wrapper_functions(None, new)}"
        return [
            Statement(made + fdw_options_clause(new.options)),
            *comment(WRAPPER, new.name, None, new.comment),
            *grants(WRAPPER, new.name, None, new.privileges, ctx, new.owner),
        ]

    def drop(self, old: ForeignDataWrapper, ctx: Context) -> list[Statement]:
        return [Statement(f"DROP {WRAPPER} {old.name}")]

    def alter(
        self, old: ForeignDataWrapper, new: ForeignDataWrapper, ctx: Context
    ) -> Alteration | None:
        # in one statement: a new validator checks the new options
        change = _wrapper_functions(old, new) + fdw_options_changes(old.options, new.options)
        out = [Statement(f"ALTER {WRAPPER} {new.name}{change}")] if change else []
        return Alteration(
            create_phase=(
                *out,
                *owner(WRAPPER, new.name, old.owner, new.owner, ctx),
                *comment(WRAPPER, new.name, old.comment, new.comment),
                *grants(WRAPPER, new.name, old.privileges, new.privileges, ctx, new.owner),
            )
        )


class ForeignServerGenerator:
    def create(self, new: ForeignServer, ctx: Context) -> list[Statement]:
        sql = f"CREATE SERVER {new.name}"
        sql += f" TYPE {literal(new.type)}" if new.type is not None else ""
        sql += f" VERSION {literal(new.version)}" if new.version is not None else ""
        sql += f" FOREIGN DATA WRAPPER {new.wrapper}{fdw_options_clause(new.options)}"
        return [
            Statement(sql),
            *comment("SERVER", new.name, None, new.comment),
            *grants("FOREIGN SERVER", new.name, None, new.privileges, ctx, new.owner),
        ]

    def drop(self, old: ForeignServer, ctx: Context) -> list[Statement]:
        """Its user mappings first, or PostgreSQL refuses: their options (passwords) are
        never read, so no plan can make them again."""
        unmapped = [
            Statement(
                f"DROP USER MAPPING FOR {user} SERVER {old.name}",
                (hazards.credentials_lost(f"the user mapping for {user} on server {old.name}"),),
            )
            for user in old.user_mappings
        ]
        return [*unmapped, Statement(f"DROP SERVER {old.name}")]

    def alter(self, old: ForeignServer, new: ForeignServer, ctx: Context) -> Alteration | None:
        if (old.wrapper, old.type) != (new.wrapper, new.type):
            return None  # no statement changes them
        change = ""
        if old.version != new.version:
            change = f" VERSION {'NULL' if new.version is None else literal(new.version)}"
        change += fdw_options_changes(old.options, new.options)
        out = [Statement(f"ALTER SERVER {new.name}{change}")] if change else []
        return Alteration(
            create_phase=(
                *out,
                *owner("SERVER", new.name, old.owner, new.owner, ctx),
                *comment("SERVER", new.name, old.comment, new.comment),
                *grants("FOREIGN SERVER", new.name, old.privileges, new.privileges, ctx, new.owner),
            )
        )
