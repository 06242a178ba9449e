"""Build a Catalog from the rows of the catalog queries (see inspect.py).

OIDs are used only here, to resolve pg_depend into keys; the Catalog never holds one.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from pgalign.catalog.model import (
    NO_PRIVILEGES,
    OWNER,
    PUBLIC,
    Cast,
    Catalog,
    CatalogObject,
    CloneOptions,
    Collation,
    ColumnSettings,
    CompositeType,
    Constraint,
    DefaultPrivilege,
    Domain,
    DomainConstraint,
    EnumType,
    EventTrigger,
    Extension,
    ForeignDataWrapper,
    ForeignServer,
    ForeignSource,
    Function,
    IdentityOptions,
    Index,
    Key,
    Operator,
    Options,
    Policy,
    Privileges,
    Publication,
    RangeType,
    Rule,
    Schema,
    Sequence,
    Statistics,
    Table,
    TextSearchConfiguration,
    TextSearchDictionary,
    Trigger,
    View,
    lean_column,
)
from pgalign.catalog.scope import Scope

Row = dict[str, Any]
COLUMN_NAME = itemgetter(1)  # of a row of columns.sql
RULE_FIELDS = itemgetter("schema", "table", "name", "definition", "enabled", "comment")
NO_EXTRAS = (None, None)  # a column without a row in column_extras.sql
POLICY_COMMANDS = {"*": "ALL", "r": "SELECT", "a": "INSERT", "w": "UPDATE", "d": "DELETE"}


@dataclass
class Builder:
    scope: Scope
    roles: dict[int, str]
    objects: dict[Key, CatalogObject] = field(default_factory=dict)
    by_oid: dict[tuple[str, int], Key] = field(default_factory=dict)
    columns: dict[tuple[int, int], Key] = field(default_factory=dict)
    acl_cache: dict[tuple[str, int], Privileges] = field(default_factory=dict)
    column_rows: defaultdict[int, list[tuple[Any, ...]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    # table oid -> column number -> (identity sequence options, NOT NULL flags)
    column_extras: defaultdict[int, dict[int, tuple[Any, Any]]] = field(
        default_factory=lambda: defaultdict(dict)
    )

    # --- helpers ---------------------------------------------------------
    def privileges(self, acl: str | None, owner_oid: int) -> Privileges:
        """Privileges from aclexplode rows as JSON text; most objects share a few ACLs."""
        if acl is None:
            return NO_PRIVILEGES
        cached = self.acl_cache.get((acl, owner_oid))
        if cached is not None:
            return cached
        found: set[tuple[str, str, bool]] = set()
        for grantee, privilege, grantable in json.loads(acl):
            if grantee == 0:
                name = PUBLIC
            elif grantee == owner_oid:
                if privilege == "MAINTAIN":
                    # PostgreSQL 17 gave every table's owner MAINTAIN: recorded, it would set
                    # each table of a 15 or 16 server apart from a 17+ shadow of the same SQL
                    continue
                name = OWNER
            else:
                name = self.roles.get(grantee, str(grantee))
            found.add((name, privilege, bool(grantable)))
        result = self.acl_cache[(acl, owner_oid)] = frozenset(found)
        return result

    def add(self, obj: CatalogObject, cls: str | None = None, oid: int | None = None) -> None:
        self.objects[obj.key] = obj
        if cls is not None and oid is not None:
            self.by_oid[(cls, oid)] = obj.key

    @classmethod
    def first_half(cls, scope: Scope, r: dict[str, list[Any]]) -> Builder:
        builder = cls(scope, {row["oid"]: row["name"] for row in r["roles"]})
        for column in r["columns"]:
            builder.column_rows[column[0]].append(column)
        for row in r["column_extras"]:
            extras = builder.column_extras[row["attrelid"]]
            sequence, flags = extras.get(row["attnum"], (None, None))
            extras[row["attnum"]] = (
                row["identity_sequence"] or sequence,
                row["not_null_flags"] or flags,
            )
        builder._build_first(r)
        return builder

    def second_half(self, r: dict[str, list[Any]], server_version: int) -> Catalog:
        self._build_rest(r)
        return Catalog(self.objects, self.resolve(r["dependencies"]), server_version)

    def _build_first(self, r: dict[str, list[Row]]) -> None:
        inc = self.scope.includes
        for row in r["schemas"]:
            if inc(row["nspname"]):
                self.add(
                    Schema(
                        row["schema"],
                        row["owner"],
                        row["comment"],
                        self.privileges(row["acl"], row["owner_oid"]),
                    ),
                    "pg_namespace",
                    row["oid"],
                )
        for row in r["extensions"]:
            if self.scope.includes_extension(row["nspname"]):
                ext = Extension(
                    row["name"],
                    row["schema"],
                    row["extversion"],
                    row["comment"],
                    row["default_comment"],
                )
                self.add(ext, "pg_extension", row["oid"])
        for row in r["collations"]:
            if inc(row["nspname"]):
                self.add(_collation(row), "pg_collation", row["oid"])
        for row in r["types"]:
            if inc(row["nspname"]):
                self._type(row)
        for row in r["sequences"]:
            if inc(row["nspname"]):
                self._sequence(row)
        for row in r["tables"]:
            if inc(row["nspname"]):
                self._table(row)

    def _build_rest(self, r: dict[str, list[Row]]) -> None:
        inc = self.scope.includes
        for row in r["views"]:
            if inc(row["nspname"]):
                self._view(row)
        for row in r["constraints"]:
            if inc(row["nspname"]):
                self._constraint(row)
        for row in r["indexes"]:
            if inc(row["nspname"]):
                index = Index(
                    row["schema"],
                    row["table"],
                    row["qualified"],
                    row["definition"],
                    row["comment"],
                )
                self.add(index, "pg_class", row["oid"])
        for row in r["statistics"]:
            if inc(row["nspname"]):
                self.add(_statistics(row), "pg_statistic_ext", row["oid"])
        for row in r["text_search"]:
            if inc(row["nspname"]):
                self._text_search(row)
        for row in r["functions"]:
            if inc(row["nspname"]):
                self._function(row)
        for row in r["casts_operators"]:
            if row["kind"] == "o":
                if inc(row["nspname"]):
                    self.add(_operator(row), "pg_operator", row["oid"])
            elif self.scope.includes_cast(row["schemas"]):
                self.add(_cast(row), "pg_cast", row["oid"])
        for row in r["triggers"]:
            if self.scope.includes_hook(row["nspname"], row["function_schema"]):
                trigger = Trigger(
                    row["schema"],
                    row["table"],
                    row["name"],
                    row["definition"],
                    row["enabled"],
                    row["comment"],
                    _by_partition(row["clones"]) if row["clones"] else (),
                    _by_partition(row["noted"]) if row["noted"] else (),
                )
                self.add(trigger, "pg_trigger", row["oid"])
        for row in r["rules"]:
            if inc(row["nspname"]):
                self.add(Rule(*RULE_FIELDS(row)), "pg_rewrite", row["oid"])
        for row in r["event_triggers"]:
            if inc(row["function_schema"]):
                event = EventTrigger(
                    row["name"],
                    row["event"],
                    row["function"],
                    tuple(row["tags"]),
                    row["enabled"],
                    row["owner"],
                    row["comment"],
                )
                self.add(event, "pg_event_trigger", row["oid"])
        for row in r["policies"]:
            if self.scope.includes_hook(row["nspname"], None):
                self._policy(row)
        for row in r["publications"]:
            self._publication(row)
        for row in r["foreign_servers"]:  # (and wrappers)
            if row["kind"] == "w":
                self._foreign_data_wrapper(row)
            else:
                self._foreign_server(row)
        for row in r["default_privileges"]:
            if row["nspname"] is None or inc(row["nspname"]):
                schema = row["schema"] if row["nspname"] is not None else None
                default = DefaultPrivilege(
                    row["role"],
                    schema,
                    row["object_type"],
                    self.privileges(row["acl"], row["owner_oid"]),
                )
                self.add(default)

    # --- one builder per kind ------------------------------------------
    def _type(self, row: Row) -> None:
        schema = row["schema"]
        common = {
            "owner": row["owner"],
            "comment": row["comment"],
            "privileges": self.privileges(row["acl"], row["owner_oid"]),
        }
        obj: CatalogObject
        kind = row["typtype"]
        if kind == "e":
            obj = EnumType(schema, row["qualified"], row["typname"], tuple(row["labels"]), **common)
        elif kind == "d":
            checks = tuple(
                DomainConstraint(name, definition, note, valid)
                for name, definition, note, valid in row["constraints"] or ()
            )
            obj = Domain(
                schema,
                row["qualified"],
                row["base_type"],
                row["collation"],
                row["default"],
                row["not_null"],
                checks,
                **common,
            )
            for constraint_oid in row["constraint_oids"]:
                self.by_oid[("pg_constraint", constraint_oid)] = obj.key
        elif kind == "c":
            attributes = tuple((a[0], a[1], a[2]) for a in row["attributes"] or ())
            notes = tuple((a[0], a[1]) for a in row["attribute_comments"] or ())
            obj = CompositeType(
                schema, row["qualified"], attributes, **common, attribute_comments=notes
            )
            self.by_oid[("pg_class", row["typrelid"])] = obj.key
        else:
            rng = row["range"]
            options = tuple(
                (option, str(rng[option]))
                for option in (
                    "subtype_opclass",
                    "collation",
                    "canonical",
                    "subtype_diff",
                    "multirange_type_name",
                )
                if rng.get(option)
            )
            obj = RangeType(
                schema,
                row["qualified"],
                rng["subtype"],
                options,
                **common,
                multirange_comment=rng["multirange_comment"],
            )
            if row["multirange"]:
                self.by_oid[("pg_type", row["multirange"])] = obj.key
        self.add(obj, "pg_type", row["oid"])
        self.by_oid[("pg_type", row["typarray"])] = obj.key

    def _sequence(self, row: Row) -> None:
        owned = row["owned_by"]
        seq = Sequence(
            row["schema"],
            row["qualified"],
            row["data_type"],
            row["seqstart"],
            row["seqincrement"],
            row["seqmin"],
            row["seqmax"],
            row["seqcache"],
            row["seqcycle"],
            row["unlogged"],
            (owned[0], owned[1]) if owned else None,
            row["owner"],
            row["comment"],
            self.privileges(row["acl"], row["owner_oid"]),
        )
        self.add(seq, "pg_class", row["oid"])

    def _table(self, row: Row) -> None:
        oid, owner_oid, qualified = row["oid"], row["owner_oid"], row["qualified"]
        columns = []
        extras = self.column_extras.get(oid)
        for c in sorted(self.column_rows.get(oid, ()), key=COLUMN_NAME):
            (_, name, num, typ, not_null, default, identity, generated, coll, settings, local,
             comment, acl, fdw_options) = c  # fmt: skip
            sequence, not_null_flags = extras.get(num, NO_EXTRAS) if extras else NO_EXTRAS
            privileges = NO_PRIVILEGES if acl is None else self.privileges(acl, owner_oid)
            columns.append(
                lean_column(
                    name,
                    num,
                    typ,
                    not_null,
                    not_null_flags,
                    default,
                    identity,
                    None if sequence is None else _identity_options(sequence),
                    generated,
                    coll,
                    None if settings is None else _column_settings(settings),
                    local,
                    comment,
                    privileges,
                    () if fdw_options is None else _options(fdw_options),
                )
            )
            self.columns[(oid, num)] = ("column", f"{qualified}.{name}")
        table = Table(
            row["schema"],
            qualified,
            row["partitioned"],
            row["partition_key"],
            row["partition_of"],
            row["partition_bound"],
            tuple(row["inherits"]),
            row["of_type"],
            tuple(columns),  # sorted by name
            row["unlogged"],
            row["relrowsecurity"],
            row["relforcerowsecurity"],
            row["relreplident"],
            row["replica_index"],
            tuple(sorted(row["options"])),
            row["owner"],
            row["comment"],
            self.privileges(row["acl"], row["owner_oid"]),
            tuple(row["cloned"] or ()),
            row["cluster_index"],
            (
                *(_clone_options(clone) for clone in row["clone_options"] or ()),
                *(_noted_copy(*note) for note in row["copy_notes"] or ()),
            ),
            _foreign_source(row["foreign_source"]),
        )
        self.add(table, "pg_class", row["oid"])
        self.by_oid[("pg_type", row["reltype"])] = table.key

    def _view(self, row: Row) -> None:
        columns = row["columns"] or ()
        granted = (
            (name, self.privileges(acl, row["owner_oid"])) for name, _, acl, _ in columns if acl
        )
        view = View(
            row["schema"],
            row["qualified"],
            row["materialized"],
            row["definition"],
            tuple(sorted(row["options"])),
            tuple((c[0], c[1]) for c in columns),
            tuple((c[0], c[1]) for c in row["column_comments"] or ()),
            row["owner"],
            row["comment"],
            self.privileges(row["acl"], row["owner_oid"]),
            row["populated"],
            row["cluster_index"],
            tuple((name, privileges) for name, privileges in granted if privileges),
            tuple((c[0], c[3]) for c in columns if c[3] is not None),
        )
        self.add(view, "pg_class", row["oid"])
        self.by_oid[("pg_type", row["reltype"])] = view.key

    def _constraint(self, row: Row) -> None:
        constraint = Constraint(
            row["schema"],
            row["table"],
            row["name"],
            row["contype"],
            row["definition"],
            False,
            row["comment"],
            row["inherited"],
            row["conislocal"],
            row["index_comment"],
            tuple(sorted(row["index_options"] or ())),
        )
        self.add(constraint, "pg_constraint", row["oid"])
        if row["conindid"] and row["contype"] in ("p", "u", "x"):
            # Whatever depends on the constraint's index (a foreign key) depends on it.
            self.by_oid[("pg_class", row["conindid"])] = constraint.key

    def _function(self, row: Row) -> None:
        definition = row["definition"] or _aggregate_definition(row)
        function = Function(
            row["schema"],
            row["qualified"],
            row["prokind"],
            row["arguments"],
            row["result"],
            row["language"],
            definition,
            row["owner"],
            row["comment"],
            self.privileges(row["acl"], row["owner_oid"]),
        )
        self.add(function, "pg_proc", row["oid"])

    def _text_search(self, row: Row) -> None:
        named = row["schema"], row["qualified"], row["made_by"]  # made by: parser, template
        if row["kind"] == "c":
            mappings = tuple((token, tuple(used)) for token, used in row["mappings"] or ())
            config = TextSearchConfiguration(*named, mappings, row["owner"], row["comment"])
            self.add(config, "pg_ts_config", row["oid"])
        else:
            options = _dictionary_options(row["options"])
            dictionary = TextSearchDictionary(*named, options, row["owner"], row["comment"])
            self.add(dictionary, "pg_ts_dict", row["oid"])

    def _policy(self, row: Row) -> None:
        policy = Policy(
            row["schema"],
            row["table"],
            row["name"],
            row["permissive"],
            POLICY_COMMANDS[row["command"]],
            tuple(row["roles"]),
            row["using"],
            row["with_check"],
            row["comment"],
        )
        self.add(policy, "pg_policy", row["oid"])

    def _publication(self, row: Row) -> None:
        operations = tuple(
            op for op in ("insert", "update", "delete", "truncate") if row[f"pub{op}"]
        )
        publication = Publication(
            row["name"],
            row["puballtables"],
            operations,
            row["pubviaroot"],
            tuple((m[0], m[1]) for m in row["members"]),
            tuple(row["tables"]),
            row["owner"],
            row["comment"],
        )
        self.add(publication, "pg_publication", row["oid"])

    def _foreign_data_wrapper(self, row: Row) -> None:
        wrapper = ForeignDataWrapper(
            row["name"],
            row["handler"],
            row["validator"],
            _options(row["options"]),
            row["owner"],
            row["comment"],
            self.privileges(row["acl"], row["owner_oid"]),
        )
        self.add(wrapper, "pg_foreign_data_wrapper", row["oid"])

    def _foreign_server(self, row: Row) -> None:
        server = ForeignServer(
            row["name"],
            row["wrapper"],
            row["type"],
            row["version"],
            _options(row["options"]),
            tuple(row["user_mappings"]),
            row["owner"],
            row["comment"],
            self.privileges(row["acl"], row["owner_oid"]),
        )
        self.add(server, "pg_foreign_server", row["oid"])

    # --- dependencies ----------------------------------------------------
    def resolve(self, rows: list[tuple[Any, ...]]) -> dict[Key, frozenset[Key]]:
        """pg_depend rows (class, objid, objsubid, refclass, refobjid, refobjsubid, deptype)
        as keys; a column of a table (its type, its default) also depends as its own key."""
        members: dict[tuple[str, int], Key] = {}
        for cls, objid, _, refclass, refobjid, _, deptype in rows:
            if deptype == "e":
                ext = self.by_oid.get((refclass, refobjid))
                if ext is not None:
                    members[(cls, objid)] = ext
        found: dict[Key, set[Key]] = defaultdict(set)
        for cls, objid, objsubid, refclass, refobjid, refobjsubid, deptype in rows:
            if deptype == "e":
                continue
            key = self.by_oid.get((cls, objid))
            if key is None:
                continue
            ref = self.by_oid.get((refclass, refobjid)) or members.get((refclass, refobjid))
            if ref is None or ref == key:
                continue
            if key[0] == "sequence" and ref[0] == "table" and deptype == "a":
                continue  # OWNED BY: written after both exist, not an ordering constraint
            found[key].add(ref)
            column = self.columns.get((refobjid, refobjsubid))
            if column is not None:
                found[key].add(column)
            own_column = self.columns.get((objid, objsubid)) if objsubid else None
            if own_column is not None:
                found[own_column].add(ref)
        return {key: frozenset(refs) for key, refs in found.items()}


def _collation(row: Row) -> Collation:
    attrs = row["attributes"]
    locale = attrs.get("colllocale") or attrs.get("colliculocale")
    return Collation(
        row["schema"],
        row["qualified"],
        attrs["collprovider"],
        locale,
        attrs.get("collcollate"),
        attrs.get("collctype"),
        attrs["collisdeterministic"],
        row["owner"],
        row["comment"],
    )


def _statistics(row: Row) -> Statistics:
    return Statistics(
        row["schema"],
        row["qualified"],
        row["table"],
        row["definition"],
        "".join(sorted(row["kinds"])),
        tuple(sorted(row["columns"])),  # by name, not their order in the table
        tuple(row["expressions"] or ()),
        row["target"],
        row["owner"],
        row["comment"],
    )


def _cast(row: Row) -> Cast:
    return Cast(
        row["left_type"],
        row["right_type"],
        row["method"],
        row["function"],
        row["context"],
        row["comment"],
    )


def _operator(row: Row) -> Operator:
    return Operator(
        row["schema"],
        row["name"],
        row["left_type"],
        row["right_type"],
        row["function"],
        row["commutator"],
        row["negator"],
        row["restrict_function"],
        row["join_function"],
        row["hashes"],
        row["merges"],
        row["owner"],
        row["comment"],
    )


def _aggregate_definition(row: Row) -> str:
    agg = row["aggregate"] or {}
    parts = [f"SFUNC = {agg['sfunc']}", f"STYPE = {agg['stype']}"]
    for option, key in (
        ("FINALFUNC", "finalfunc"),
        ("COMBINEFUNC", "combinefunc"),
        ("SORTOP", "sortop"),
    ):
        if agg.get(key):
            parts.append(f"{option} = {agg[key]}")
    if agg.get("initcond") is not None:
        from pgalign.sql import literal

        parts.append(f"INITCOND = {literal(agg['initcond'])}")
    if agg.get("parallel") in ("s", "r"):
        parts.append("PARALLEL = " + {"s": "SAFE", "r": "RESTRICTED"}[agg["parallel"]])
    return f"CREATE AGGREGATE {row['name']}({row['arguments']}) ({', '.join(parts)})"


def _column_settings(settings: str) -> ColumnSettings:
    storage, compression, statistics, options = json.loads(settings)
    return ColumnSettings(storage, compression, statistics, tuple(sorted(options)))


def _by_partition(clones: list[list[str]]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((partition, value) for partition, value in clones))


def _clone_options(clone: list[Any]) -> CloneOptions:
    name, options, parent_options, root_kind, root_name, note = clone
    own, parents = tuple(sorted(options or ())), tuple(sorted(parent_options or ()))
    return CloneOptions(name, own, parents, (root_kind, root_name), note)


def _noted_copy(name: str, root: str, note: str) -> CloneOptions:
    """A partition's copy of its parent's key or foreign key, with a comment."""
    return CloneOptions(name, (), (), ("constraint", root), note, "CONSTRAINT")


def _options(stored: list[str] | None) -> Options:
    """OPTIONS as PostgreSQL stores them ("name=value": the first = ends the name, as for
    pg_options_to_table), quoted, by name (their order in the catalog means nothing)."""
    if not stored:
        return ()
    from pglast.stream import maybe_double_quote_name  # (only for the few that have any)

    from pgalign.sql import literal

    pairs = (option.split("=", 1) for option in stored)
    return tuple(sorted((maybe_double_quote_name(name), literal(value)) for name, value in pairs))


def _dictionary_options(stored: str | None) -> Options:
    """A text search dictionary's options from pg_ts_dict.dictinitoption (`name = 'value',
    ...`, as CREATE and ALTER left them), read by PostgreSQL's own parser, by name."""
    if not stored:
        return ()
    from pglast import ast, parse_sql  # (only for the few dictionaries that have any)
    from pglast.stream import maybe_double_quote_name

    from pgalign.sql import literal

    statement = parse_sql(f"ALTER TEXT SEARCH DICTIONARY d ({stored})")[0].stmt
    assert isinstance(statement, ast.AlterTSDictionaryStmt)
    found = []
    for option in statement.options or ():
        value = option.arg
        if isinstance(value, ast.Integer):
            text = str(value.ival)
        elif isinstance(value, ast.Float):
            text = str(value.fval)
        else:  # a string: numbers are stored bare, all else quoted
            text = literal(value.sval)
        found.append((maybe_double_quote_name(option.defname), text))
    return tuple(sorted(found))


def _foreign_source(found: list[Any] | None) -> ForeignSource | None:
    if found is None:
        return None
    server, options = found
    return ForeignSource(server, _options(options))


def _identity_options(sequence: list[int]) -> IdentityOptions:
    increment, minimum, maximum, start, cache, cycle = sequence
    return (increment, minimum, maximum, start, cache, bool(cycle))
