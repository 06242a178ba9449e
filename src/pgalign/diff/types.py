"""Enums, domains, composite and range types."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pgalign.catalog.model import (
    Catalog,
    CompositeType,
    Domain,
    DomainConstraint,
    EnumType,
    Key,
    RangeType,
    UserType,
)
from pgalign.diff.common import (
    Alteration,
    Context,
    comment,
    grants,
    member_comments,
    owner,
    using_dropped_code,
)
from pgalign.diff.plan import Statement
from pgalign.diff.stored import stored_in, stored_through
from pgalign.sql import literal


def sql_kind(obj: UserType) -> str:
    return "DOMAIN" if isinstance(obj, Domain) else "TYPE"


def _create(obj: UserType) -> str:
    if isinstance(obj, EnumType):
        labels = ", ".join(literal(label) for label in obj.labels)
        return f"CREATE TYPE {obj.qualified} AS ENUM ({labels})"
    if isinstance(obj, Domain):
        parts = [f"CREATE DOMAIN {obj.qualified} AS {obj.base_type}"]
        if obj.collation:
            parts.append(f"COLLATE {obj.collation}")
        if obj.default is not None:
            parts.append(f"DEFAULT {obj.default}")
        if obj.not_null:
            parts.append("NOT NULL")
        # (NOT VALID ones are added after: CREATE DOMAIN does not take them)
        parts += [f"CONSTRAINT {c.name} {c.definition}" for c in obj.constraints if c.valid]
        return " ".join(parts)
    if isinstance(obj, CompositeType):
        attributes = ", ".join(
            f"{name} {typ}" + (f" COLLATE {coll}" if coll else "")
            for name, typ, coll in obj.attributes
        )
        return f"CREATE TYPE {obj.qualified} AS ({attributes})"
    options = ", ".join(
        [f"subtype = {obj.subtype}", *(f"{key} = {value}" for key, value in obj.options)]
    )
    return f"CREATE TYPE {obj.qualified} AS RANGE ({options})"


def _unchecked_constraints(new: UserType) -> list[Statement]:
    """ALTER DOMAIN ... ADD CONSTRAINT for a new domain's NOT VALID checks."""
    if not isinstance(new, Domain):
        return []
    return [
        Statement(f"ALTER DOMAIN {new.qualified} ADD CONSTRAINT {c.name} {c.definition}")
        for c in new.constraints
        if not c.valid
    ]


def _enum_additions(old: EnumType, new: EnumType) -> list[Statement] | None:
    """ALTER TYPE ... ADD VALUE for each new label, or None when labels were removed or
    reordered (PostgreSQL cannot do that in place)."""
    kept = [label for label in new.labels if label in old.labels]
    if kept != list(old.labels):
        return None
    out = []
    for index, label in enumerate(new.labels):
        if label in old.labels:
            continue
        # Labels are added left to right, so the one before is always there already.
        if index > 0:
            where = f"AFTER {literal(new.labels[index - 1])}"
        else:
            where = f"BEFORE {literal(old.labels[0])}" if old.labels else ""
        sql = f"ALTER TYPE {new.qualified} ADD VALUE {literal(label)}"
        out.append(Statement(f"{sql} {where}".rstrip(), commit_first=True))
    return out


def _domain_changes(old: Domain, new: Domain) -> list[Statement] | None:
    if (old.base_type, old.collation) != (new.base_type, new.collation):
        return None
    name = new.qualified
    out = []
    if old.default != new.default:
        out.append(
            Statement(
                f"ALTER DOMAIN {name} DROP DEFAULT"
                if new.default is None
                else f"ALTER DOMAIN {name} SET DEFAULT {new.default}"
            )
        )
    if old.not_null != new.not_null:
        verb = "SET" if new.not_null else "DROP"
        out.append(Statement(f"ALTER DOMAIN {name} {verb} NOT NULL"))
    old_checks = {c.name: c.definition for c in old.constraints}
    new_checks = {c.name: c.definition for c in new.constraints}
    for cname, definition in old_checks.items():
        if new_checks.get(cname) != definition:
            out.append(Statement(f"ALTER DOMAIN {name} DROP CONSTRAINT {cname}"))
    for cname, definition in new_checks.items():
        if old_checks.get(cname) != definition:
            out.append(Statement(f"ALTER DOMAIN {name} ADD CONSTRAINT {cname} {definition}"))
    # a constraint added again has lost its comment
    kept = [c for c in old.constraints if new_checks.get(c.name) == c.definition]
    return out + _check_comments(new, kept)


def _check_comments(new: Domain, old: Iterable[DomainConstraint] = ()) -> list[Statement]:
    """COMMENT ON CONSTRAINT for the domain's checks whose comment differs from `old`'s."""
    return member_comments(
        "CONSTRAINT",
        lambda check: f"{check} ON DOMAIN {new.qualified}",
        ((c.name, c.comment) for c in old),
        ((c.name, c.comment) for c in new.constraints),
    )


def _attribute_comments(old: CompositeType | None, new: CompositeType) -> list[Statement]:
    """COMMENT ON COLUMN for the type's attributes whose comment differs from `old`'s (one
    dropped goes with its comment)."""
    kept = {a[0] for a in new.attributes}
    before = [(a, note) for a, note in old.attribute_comments if a in kept] if old else []
    return member_comments(
        "COLUMN", lambda a: f"{new.qualified}.{a}", before, new.attribute_comments
    )


def _multirange_comment(old: RangeType | None, new: RangeType) -> list[Statement]:
    """COMMENT ON the multirange type that CREATE TYPE ... AS RANGE makes along."""
    if new.multirange is None:
        return []
    before = old.multirange_comment if old else None
    return comment("TYPE", new.multirange, before, new.multirange_comment)


def _member_comments(new: UserType) -> list[Statement]:
    """Comments on a new domain's checks, a new composite type's attributes or a new
    range's multirange type."""
    if isinstance(new, Domain):
        return _check_comments(new)
    if isinstance(new, CompositeType):
        return _attribute_comments(None, new)
    return _multirange_comment(None, new) if isinstance(new, RangeType) else []


def composite_changes(
    old: CompositeType, new: CompositeType, *, retype: bool = True
) -> list[Statement]:
    """ADD, DROP and (if `retype`) ALTER ATTRIBUTE ... TYPE statements from old to new."""
    before = {a[0]: a for a in old.attributes}
    after = {a[0]: a for a in new.attributes}
    out = []
    for name, attribute in before.items():
        if name not in after:
            out.append(Statement(f"ALTER TYPE {new.qualified} DROP ATTRIBUTE {name}"))
        elif after[name] != attribute and retype:
            _, typ, coll = after[name]
            collate = f" COLLATE {coll}" if coll else ""
            out.append(
                Statement(f"ALTER TYPE {new.qualified} ALTER ATTRIBUTE {name} TYPE {typ}{collate}")
            )
    for name, (_, typ, coll) in after.items():
        if name not in before:
            collate = f" COLLATE {coll}" if coll else ""
            out.append(Statement(f"ALTER TYPE {new.qualified} ADD ATTRIBUTE {name} {typ}{collate}"))
    return out


def _checks_stored_arrays(old: Domain, new: Domain, ctx: Context) -> bool:
    """Whether a new constraint must check values that columns hold in arrays of the
    domain, or in composite values with an attribute of it: PostgreSQL cannot, and refuses
    the constraint."""
    checks = {(c.name, c.definition) for c in old.constraints}
    tightens = new.not_null > old.not_null or any(
        (c.name, c.definition) not in checks for c in new.constraints
    )
    if not tightens:
        return False
    if any(col.type.endswith("[]") for _, col in stored_in(old, ctx.source)):
        return True
    return any(
        old.key in needs
        and isinstance(holder := ctx.source.objects.get(key), CompositeType)
        and stored_through(holder, ctx.source)
        for key, needs in ctx.source.dependencies.items()
    )


def _retypes_attributes(old: CompositeType, new: CompositeType) -> bool:
    after = {a[0]: a for a in new.attributes}
    return any(a[0] in after and after[a[0]] != a for a in old.attributes)


def _reorders_attributes(old: CompositeType, new: CompositeType) -> bool:
    """Whether ADD and DROP ATTRIBUTE cannot reach the target's order: kept attributes keep
    their place, added ones go last."""
    names = [a[0] for a in new.attributes]
    kept = [a[0] for a in old.attributes if a[0] in names]
    return kept + [n for n in names if n not in kept] != names


class TypeGenerator:
    def create(self, new: UserType, ctx: Context) -> list[Statement]:
        kind = sql_kind(new)
        return [
            Statement(_create(new)),
            *_unchecked_constraints(new),
            *comment(kind, new.qualified, None, new.comment),
            *_member_comments(new),
            *grants("TYPE", new.qualified, None, new.privileges, ctx, new.owner, schema=new.schema),
        ]

    def drop(self, old: UserType, ctx: Context) -> list[Statement]:
        return [Statement(f"DROP {sql_kind(old)} {old.qualified}")]

    def alter(self, old: UserType, new: UserType, ctx: Context) -> Alteration | None:
        changes: list[Statement] | None
        if isinstance(old, EnumType) and isinstance(new, EnumType):
            changes = _enum_additions(old, new)
        elif isinstance(old, Domain) and isinstance(new, Domain):
            changes = _domain_changes(old, new)
            if changes and _checks_stored_arrays(old, new, ctx):
                changes = None  # rebuilt with its columns (see rebuilds.py)
        elif isinstance(old, CompositeType) and isinstance(new, CompositeType):
            # PostgreSQL cannot retype an attribute of a type that a table column stores:
            # the type is rebuilt then, its columns converted (see rebuilds.py).
            stored = bool(stored_in(old, ctx.source))
            rebuilt = stored and _retypes_attributes(old, new)
            # reordered, it is created again (columns that keep it convert their values
            # attribute by attribute, see rebuilds.py)
            changes = (
                None
                if rebuilt or _reorders_attributes(old, new)
                else [*composite_changes(old, new), *_attribute_comments(old, new)]
            )
        elif isinstance(old, RangeType) and isinstance(new, RangeType):
            same = (old.subtype, old.options) == (new.subtype, new.options)
            changes = _multirange_comment(old, new) if same else None
        else:
            changes = None
        if changes is None:
            return None
        kind = sql_kind(new)
        return Alteration(
            create_phase=(
                *changes,
                *owner(kind, new.qualified, old.owner, new.owner, ctx),
                *comment(kind, new.qualified, old.comment, new.comment),
                *grants("TYPE", new.qualified, old.privileges, new.privileges, ctx, new.owner),
            )
        )


def domains_on_dropped_functions(
    source: Catalog, target: Catalog, dropped: frozenset[Key]
) -> Iterator[tuple[Domain, Domain, list[Statement], list[Statement]]]:
    """Domains that stay while a function their default or checks call is dropped and
    created again: each, before and after, with what takes those off before the drop and
    what puts them back after."""
    for key, functions in using_dropped_code(source, dropped, "type"):
        old, new = source.objects.get(key), target.objects.get(key)
        if key in dropped or not isinstance(old, Domain) or not isinstance(new, Domain):
            continue
        name = old.qualified
        early = [Statement(f"ALTER DOMAIN {name} DROP DEFAULT")] if old.default else []
        early += [
            Statement(f"ALTER DOMAIN {name} DROP CONSTRAINT {c.name}") for c in old.constraints
        ]
        late = (
            [Statement(f"ALTER DOMAIN {name} SET DEFAULT {new.default}", after=functions)]
            if new.default
            else []
        )
        late += [
            Statement(
                f"ALTER DOMAIN {name} ADD CONSTRAINT {c.name} {c.definition}", after=functions
            )
            for c in new.constraints
        ]
        yield old, new, early, late + _check_comments(new)
