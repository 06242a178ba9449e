"""The options of an identity column's sequence: written only where they differ from what
PostgreSQL chooses, and altered in place."""

from __future__ import annotations

from pgalign.catalog.model import Column, IdentityOptions
from pgalign.diff.plan import Hazard, Statement
from pgalign.diff.sequences import restart_if_outside
from pgalign.sql import last_identifier, literal

TYPE_RANGE = {
    "smallint": (-(2**15), 2**15 - 1),
    "integer": (-(2**31), 2**31 - 1),
    "bigint": (-(2**63), 2**63 - 1),
}
CLAUSES = ("INCREMENT BY", "MINVALUE", "MAXVALUE", "START WITH", "CACHE")


def _clauses(options: IdentityOptions) -> list[str]:
    written = [f"{clause} {value}" for clause, value in zip(CLAUSES, options, strict=False)]
    return [*written, "CYCLE" if options[5] else "NO CYCLE"]


def _usual(type_name: str, increment: int) -> IdentityOptions | None:
    """PostgreSQL's choices for a sequence of this type going this way."""
    bounds = TYPE_RANGE.get(type_name)
    if bounds is None:
        return None
    if increment > 0:
        return (increment, 1, bounds[1], 1, 1, False)
    return (increment, bounds[0], -1, -1, 1, False)


def options_clause(col: Column) -> str:
    """' (START WITH 100)' after GENERATED ... AS IDENTITY; '' when PostgreSQL's choices do."""
    options = col.identity_options
    if options is None:
        return ""
    usual = _usual(col.type, options[0])
    written = [
        clause
        for position, clause in enumerate(_clauses(options))
        if usual is None or options[position] != usual[position]
    ]
    return f" ({' '.join(written)})" if written else ""


def after_retype(options: IdentityOptions, old_type: str, new_type: str) -> IdentityOptions:
    """What ALTER COLUMN TYPE makes of the options: a bound at the old type's limit moves to
    the new type's."""
    old, new = TYPE_RANGE.get(old_type), TYPE_RANGE.get(new_type)
    if old is None or new is None:
        return options
    increment, minimum, maximum, start, cache, cycle = options
    minimum = new[0] if minimum == old[0] else minimum
    maximum = new[1] if maximum == old[1] else maximum
    return (increment, minimum, maximum, start, cache, cycle)


def fits(options: IdentityOptions, type_name: str) -> bool:
    """Whether the bounds of `options` fit in `type_name` (ALTER COLUMN TYPE refuses a
    sequence whose bounds do not fit its new type)."""
    bounds = TYPE_RANGE.get(type_name)
    _, minimum, maximum, _, _, _ = options
    return bounds is None or (bounds[0] <= minimum and maximum <= bounds[1])


def set_options(
    table: str, col: Column, old: IdentityOptions, new: IdentityOptions, lock: Hazard
) -> Statement:
    changed = [
        f"SET {clause}"
        for clause, before in zip(_clauses(new), _clauses(old), strict=True)
        if clause != before
    ]
    alter = f"ALTER TABLE {table} ALTER COLUMN {col.name} {' '.join(changed)}"
    _, minimum, maximum, start, _, _ = new
    if minimum <= old[1] and maximum >= old[2]:
        return Statement(alter, (lock,))
    sequence = f"pg_get_serial_sequence({literal(table)}, {literal(last_identifier(col.name))})"
    fetch = f"EXECUTE 'SELECT last_value FROM ' || {sequence} INTO current;"
    what = f"the identity of {table}.{col.name}"
    return restart_if_outside(alter, fetch, what, minimum, maximum, start, lock)
