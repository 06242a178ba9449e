"""User-defined casts and operators.

A cast cannot be altered but for its comment: any other change drops and creates it. An
operator's RESTRICT and JOIN estimators are set in place; from PostgreSQL 17 on, so are a
COMMUTATOR, NEGATOR, HASHES or MERGES it did not have (none can be taken back). Any other
change drops and creates it again, with what uses it.

An operator naming a commutator or negator that does not exist yet makes a shell of it,
which that operator's CREATE then fills: a pair that names each other is created in any
order. Dropping an operator takes it off the operators that name it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pgalign.catalog.model import Cast, Catalog, Key, Operator
from pgalign.diff import hazards
from pgalign.diff.common import Alteration, Context, comment, owner
from pgalign.diff.plan import Statement

CAST_METHODS = {"b": " WITHOUT FUNCTION", "i": " WITH INOUT"}
CAST_CONTEXTS = {"i": " AS IMPLICIT", "a": " AS ASSIGNMENT", "e": ""}
# what ALTER OPERATOR ... SET can give an operator that lacks it, from PostgreSQL 17
LINKS_SET_IN_PLACE_SINCE = 170000


class CastGenerator:
    def create(self, new: Cast, ctx: Context) -> list[Statement]:
        method = CAST_METHODS.get(new.method) or f" WITH FUNCTION {new.function}"
        types = new.key[1]
        sql = f"CREATE CAST {types}{method}{CAST_CONTEXTS[new.context]}"
        return _made("CAST", types, sql, new.comment)

    def drop(self, old: Cast, ctx: Context) -> list[Statement]:
        return _dropped("CAST", old.key[1], "queries and function bodies that rely on the cast")

    def alter(self, old: Cast, new: Cast, ctx: Context) -> Alteration | None:
        if (old.method, old.function, old.context) != (new.method, new.function, new.context):
            return None
        return Alteration(create_phase=tuple(comment("CAST", new.key[1], old.comment, new.comment)))


def _made(kind: str, name: str, sql: str, note: str | None) -> list[Statement]:
    return [Statement(sql), *comment(kind, name, None, note)]


def _dropped(kind: str, name: str, untracked: str) -> list[Statement]:
    why = f"{untracked} are not tracked by PostgreSQL: check none is left"
    return [Statement(f"DROP {kind} {name}", (hazards.untracked(why),))]


def _estimator(function: str | None) -> str:
    return function or "NONE"


class OperatorGenerator:
    def create(self, new: Operator, ctx: Context) -> list[Statement]:
        options = [f"FUNCTION = {new.function}"]
        if new.left is not None:
            options.append(f"LEFTARG = {new.left}")
        options.append(f"RIGHTARG = {new.right}")
        for option, name in (("COMMUTATOR", new.commutator), ("NEGATOR", new.negator)):
            if name is not None:
                options.append(f"{option} = OPERATOR({name})")
        for option, function in (("RESTRICT", new.restrict), ("JOIN", new.join)):
            if function is not None:
                options.append(f"{option} = {function}")
        options += [flag for flag, on in (("HASHES", new.hashes), ("MERGES", new.merges)) if on]
        sql = f"CREATE OPERATOR {new.name} ({', '.join(options)})"
        return _made("OPERATOR", new.qualified, sql, new.comment)

    def drop(self, old: Operator, ctx: Context) -> list[Statement]:
        return _dropped("OPERATOR", old.qualified, "function bodies that use it")

    def alter(self, old: Operator, new: Operator, ctx: Context) -> Alteration | None:
        in_place = ["RESTRICT", "JOIN"]
        if ctx.source.server_version >= LINKS_SET_IN_PLACE_SINCE:
            in_place += _links_added(old, new, ctx.target)
        changes = _changes(old, new, ctx)
        if not changes.keys() <= set(in_place):
            return None
        settings = ", ".join(changes[option] for option in in_place if option in changes)
        out = []
        if settings:
            # after the commutator or negator it names, when the plan creates that
            after = frozenset(key for key in (new.commutator_key, new.negator_key) if key)
            out.append(Statement(f"ALTER OPERATOR {new.qualified} SET ({settings})", after=after))
        return Alteration(
            create_phase=(
                *out,
                *owner("OPERATOR", new.qualified, old.owner, new.owner, ctx),
                *comment("OPERATOR", new.qualified, old.comment, new.comment),
            )
        )


def _changes(old: Operator, new: Operator, ctx: Context) -> dict[str, str]:
    """What differs between the two, as ALTER OPERATOR ... SET would say it, by option
    (the function or operands differing cannot be said). A commutator or negator the plan
    drops for good is left out: its DROP takes it off."""
    found = {}
    dropped = [
        link is not None and link in ctx.source.objects and link not in ctx.target.objects
        for link in _links(old)
    ]
    if (old.function, old.left, old.right) != (new.function, new.left, new.right):
        found["FUNCTION"] = ""
    if old.restrict != new.restrict:
        found["RESTRICT"] = f"RESTRICT = {_estimator(new.restrict)}"
    if old.join != new.join:
        found["JOIN"] = f"JOIN = {_estimator(new.join)}"
    if old.commutator != new.commutator and not (new.commutator is None and dropped[0]):
        found["COMMUTATOR"] = f"COMMUTATOR = OPERATOR({new.commutator})"
    if old.negator != new.negator and not (new.negator is None and dropped[1]):
        found["NEGATOR"] = f"NEGATOR = OPERATOR({new.negator})"
    if old.hashes != new.hashes:
        found["HASHES"] = "HASHES"
    if old.merges != new.merges:
        found["MERGES"] = "MERGES"
    return found


def _links_added(old: Operator, new: Operator, target: Catalog) -> list[str]:
    """What PostgreSQL 17 and later set in place: a commutator or negator where there was
    none (one that names this one back: ALTER, as CREATE, links the other to it when it
    has no link of that kind), HASHES or MERGES turned on. None can be changed or undone."""
    found = [
        option
        for which, option in enumerate(("COMMUTATOR", "NEGATOR"))
        if _links(old)[which] is None and _named_back(target, new, which)
    ]
    if new.hashes and not old.hashes:
        found.append("HASHES")
    if new.merges and not old.merges:
        found.append("MERGES")
    return found


def _links(op: Operator) -> tuple[Key | None, Key | None]:
    return op.commutator_key, op.negator_key


def _named_back(target: Catalog, op: Operator, which: int) -> bool:
    """Whether the operator `op` names as its commutator (`which` 0) or negator (1) names
    `op` so in `target` too (an operator that is its own commutator does)."""
    other = _links(op)[which]
    back = target.objects.get(other) if other is not None else None
    return isinstance(back, Operator) and _links(back)[which] == op.key


def links_remade(source: Catalog, target: Catalog, gone: set[Key], added: set[Key]) -> set[Key]:
    """Operators that stay, but that the plan must make again for their commutator and
    negator links: PostgreSQL takes a link off an operator when the operator it names is
    dropped, and links an operator without one to an operator created naming it. Neither
    is undone but by making the operator again (after those it names: see link_order)."""
    found: set[Key] = set()
    made = [
        op
        for key in gone | added
        if key[0] == "operator" and isinstance(op := target.objects.get(key), Operator)
    ]
    if not made and not any(key[0] == "operator" for key in gone):
        return found
    for key, old in source.objects.items():
        new = target.objects.get(key)
        if not isinstance(old, Operator) or not isinstance(new, Operator) or key in gone:
            continue
        for which, other in enumerate(_links(old)):
            # (an operator made again that names it back links it again)
            if (
                other in gone
                and _links(new)[which] == other
                and not _named_back(target, new, which)
            ):
                found.add(key)
    for op in made:
        for which, other in enumerate(_links(op)):
            if other is None or other in gone:
                continue
            was, now = source.objects.get(other), target.objects.get(other)
            if not isinstance(was, Operator) or not isinstance(now, Operator):
                continue
            unlinked = _links(was)[which] is None or _links(was)[which] in gone
            if unlinked and _links(now)[which] != op.key:
                found.add(other)
    return found


def link_order(target: Catalog, creates: Iterable[Key]) -> Iterator[tuple[Key, Key]]:
    """(operator, operator to create before it) among those the plan creates: one named as
    commutator or negator by an operator that it does not name back is created after it,
    filling the shell that operator's CREATE makes (made first, it would be linked back)."""
    made = {key for key in creates if key[0] == "operator"}
    for key in made:
        op = target.objects.get(key)
        if not isinstance(op, Operator):
            continue
        for which, other in enumerate(_links(op)):
            if other is not None and other in made and not _named_back(target, op, which):
                yield other, key
