"""The schema model: frozen, comparable, with no trace of where it was read from.

Objects are identified by a `Key` (kind, qualified name or signature), never by OID, so two
catalogs read from two databases compare with `==`. Names inside keys and fields are already
quoted (`"public"."t"`), so generators can write them into SQL as they are.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import field
from functools import cached_property
from types import MappingProxyType
from typing import TypeVar

from pgalign.record import Record, record

# (kind, identity): ("table", '"public"."t"'), ("function", '"public"."f"(integer)').
Key = tuple[str, str]
# (grantee, privilege, grantable); the owner's own entries use grantee OWNER.
Privilege = tuple[str, str, bool]
Privileges = frozenset[Privilege]
NO_PRIVILEGES: Privileges = frozenset()
OWNER = "=owner"
PUBLIC = "PUBLIC"
# A foreign object's OPTIONS (name 'value', ...): (quoted name, quoted literal), by name.
Options = tuple[tuple[str, str], ...]


@record
class Schema(Record):
    name: str
    owner: str = field(compare=False)
    comment: str | None
    privileges: Privileges

    @property
    def key(self) -> Key:
        return ("schema", self.name)


@record
class Extension(Record):
    name: str
    schema: str
    version: str
    comment: str | None = None
    # what CREATE EXTENSION comments it with (its control file's): a plan says only others
    default_comment: str | None = field(compare=False, default=None)

    @property
    def key(self) -> Key:
        return ("extension", self.name)


@record
class Collation(Record):
    schema: str
    qualified: str
    provider: str
    locale: str | None
    lc_collate: str | None
    lc_ctype: str | None
    deterministic: bool
    owner: str = field(compare=False)
    comment: str | None

    @property
    def key(self) -> Key:
        return ("collation", self.qualified)


@record
class EnumType(Record):
    schema: str
    qualified: str
    name: str  # unquoted, to rename it aside when it must be rebuilt
    labels: tuple[str, ...]
    owner: str = field(compare=False)
    comment: str | None
    privileges: Privileges

    @property
    def key(self) -> Key:
        return ("type", self.qualified)


@record
class DomainConstraint(Record):
    name: str
    definition: str
    comment: str | None = None
    valid: bool = True  # (NOT VALID is also in the definition)


@record
class Domain(Record):
    schema: str
    qualified: str
    base_type: str
    collation: str | None
    default: str | None
    not_null: bool
    constraints: tuple[DomainConstraint, ...]
    owner: str = field(compare=False)
    comment: str | None
    privileges: Privileges

    @property
    def key(self) -> Key:
        return ("type", self.qualified)


@record
class CompositeType(Record):
    schema: str
    qualified: str
    attributes: tuple[tuple[str, str, str | None], ...]  # name, type, collation
    owner: str = field(compare=False)
    comment: str | None
    privileges: Privileges
    attribute_comments: tuple[tuple[str, str], ...] = ()  # (name, comment) in order

    @property
    def key(self) -> Key:
        return ("type", self.qualified)


@record
class RangeType(Record):
    schema: str
    qualified: str
    subtype: str
    options: tuple[tuple[str, str], ...]  # (option, value) for CREATE TYPE ... AS RANGE
    owner: str = field(compare=False)
    comment: str | None
    privileges: Privileges
    multirange_comment: str | None = None

    @property
    def key(self) -> Key:
        return ("type", self.qualified)

    @property
    def multirange(self) -> str | None:
        """Its multirange type's qualified name (multirange_type_name, always read)."""
        return dict(self.options).get("multirange_type_name")


UserType = EnumType | Domain | CompositeType | RangeType


@record
class Sequence(Record):
    schema: str
    qualified: str
    data_type: str
    start: int
    increment: int
    minimum: int
    maximum: int
    cache: int
    cycle: bool
    unlogged: bool
    owned_by: tuple[str, str] | None  # (qualified table, quoted column)
    owner: str = field(compare=False)
    comment: str | None
    privileges: Privileges

    @property
    def key(self) -> Key:
        return ("sequence", self.qualified)


# INCREMENT BY, MINVALUE, MAXVALUE, START WITH, CACHE, CYCLE
IdentityOptions = tuple[int, int, int, int, int, bool]


@record
class ColumnSettings(Record):
    """A column's physical settings, when any differs from the usual."""

    storage: str | None  # its storage then its type's ("ex": EXTERNAL, the type EXTENDED)
    compression: str | None  # pglz, lz4
    statistics: int | None  # statistics target
    options: tuple[str, ...]  # n_distinct=..., n_distinct_inherited=...


@record
class Column(Record):
    name: str  # quoted
    position: int = field(compare=False)  # order of creation only; PostgreSQL cannot reorder
    type: str
    not_null: bool
    not_null_flags: str  # PostgreSQL 18: "v" NOT VALID, "n" NO INHERIT (its own constraint)
    default: str | None
    identity: str  # "" | "a" (always) | "d" (by default)
    identity_options: IdentityOptions | None  # of an identity column's sequence
    generated: str  # "" | "s" (stored) | "v" (virtual)
    collation: str | None  # only when it differs from the type's default
    settings: ColumnSettings | None  # storage, compression, statistics, options
    # Declared on this table, not only inherited. Not compared: no statement can clear it,
    # and it only matters to what the parent's DROP COLUMN does.
    local: bool = field(compare=False)
    comment: str | None
    privileges: Privileges  # column-level grants only
    fdw_options: Options = ()  # a foreign table's column's (ALTER COLUMN ... OPTIONS)

    def __getstate__(self) -> dict[str, object]:
        # Pickled for the catalog cache without the fields most columns leave at their usual
        # value (the class holds those, below): 10^4 columns load in half the time.
        return {k: v for k, v in self.__dict__.items() if _USUAL_COLUMN.get(k, _NONE) != v}


# What most columns have; an unpickled column finds these on its class.
_NONE = object()
_USUAL_COLUMN: dict[str, object] = {
    "not_null": False,
    "not_null_flags": "",
    "default": None,
    "identity": "",
    "identity_options": None,
    "generated": "",
    "collation": None,
    "settings": None,
    "local": True,
    "comment": None,
    "privileges": NO_PRIVILEGES,
    "fdw_options": (),
}
for _name, _value in _USUAL_COLUMN.items():
    setattr(Column, _name, _value)


def lean_column(
    name: str,
    position: int,
    type: str,
    not_null: bool,
    not_null_flags: str | None,
    default: str | None,
    identity: str,
    identity_options: IdentityOptions | None,
    generated: str,
    collation: str | None,
    settings: ColumnSettings | None,
    local: bool,
    comment: str | None,
    privileges: Privileges,
    fdw_options: Options = (),
) -> Column:
    """Column(...) for the 10^4 columns of an inspection, five times cheaper: only the
    fields that differ from _USUAL_COLUMN are stored, as on an unpickled column."""
    column = object.__new__(Column)
    fields = column.__dict__
    fields["name"], fields["position"], fields["type"] = name, position, type
    if not_null:
        fields["not_null"] = not_null
    if not_null_flags:
        fields["not_null_flags"] = not_null_flags
    if default is not None:
        fields["default"] = default
    if identity:
        fields["identity"] = identity
    if identity_options is not None:
        fields["identity_options"] = identity_options
    if generated:
        fields["generated"] = generated
    if collation is not None:
        fields["collation"] = collation
    if settings is not None:
        fields["settings"] = settings
    if not local:
        fields["local"] = local
    if comment is not None:
        fields["comment"] = comment
    if privileges:
        fields["privileges"] = privileges
    if fdw_options:
        fields["fdw_options"] = fdw_options
    return column


@record
class CloneOptions(Record):
    """A partition's copy of its parent's index given other storage options than the
    parent's (ALTER INDEX ... SET), or a comment; or its copy of its parent's key or foreign
    key given a comment: a new copy gets the parent's options and no comment."""

    name: str  # quoted: an index in the partition's schema, or a constraint on it
    options: tuple[str, ...]
    parent_options: tuple[str, ...]
    root: Key  # the index or constraint of the partitioned table whose copy it is
    comment: str | None = None
    kind: str = "INDEX"  # or "CONSTRAINT"


@record
class ForeignSource(Record):
    """Where a foreign table's rows come from."""

    server: str  # quoted
    options: Options


@record
class Table(Record):
    schema: str
    qualified: str
    partitioned: bool
    partition_key: str | None
    partition_of: str | None
    partition_bound: str | None
    inherits: tuple[str, ...]
    of_type: str | None  # a typed table's composite type (CREATE TABLE ... OF)
    columns: tuple[Column, ...]  # sorted by name: order is not comparable, see Column.position
    unlogged: bool
    rls_enabled: bool
    rls_forced: bool
    replica_identity: str  # d default, f full, n nothing, i index
    replica_index: str | None
    options: tuple[str, ...]
    owner: str = field(compare=False)
    comment: str | None
    privileges: Privileges
    # A partition's indexes and constraints cloned from its parent's ("INDEX name",
    # "CONSTRAINT name"): not objects of their own, but DETACH makes them so.
    cloned: tuple[str, ...] = field(compare=False, default=())
    cluster_index: str | None = None  # ALTER TABLE ... CLUSTER ON (quoted index name)
    # the few clones with options or a comment of their own (indexes first, by name)
    clone_options: tuple[CloneOptions, ...] = ()
    foreign: ForeignSource | None = None  # a foreign table's (CREATE FOREIGN TABLE)

    @property
    def key(self) -> Key:
        return ("table", self.qualified)

    @property
    def sql_kind(self) -> str:
        """What DROP and COMMENT ON call it: they refuse a foreign table as a TABLE."""
        return "TABLE" if self.foreign is None else "FOREIGN TABLE"

    def column(self, name: str) -> Column | None:
        return next((col for col in self.columns if col.name == name), None)

    @property
    def parents(self) -> tuple[str, ...]:
        """The tables it is a partition of or inherits from."""
        return (self.partition_of, *self.inherits) if self.partition_of else self.inherits


@record
class Constraint(Record):
    schema: str
    table: str
    name: str
    type: str  # p, u, f, c, x, t
    definition: str
    on_domain: bool
    comment: str | None
    # A CHECK a child table has from its parents, and whether it also declares it: no
    # statement drops an inherited one or makes it inherited only, so neither is compared.
    inherited: bool = field(compare=False, default=False)
    local: bool = field(compare=False, default=True)
    # on the index of a primary key, unique or exclusion constraint (named as it)
    index_comment: str | None = None
    # A primary key's or unique constraint's index storage options (WITH (fillfactor=..)),
    # which its definition leaves out
    index_options: tuple[str, ...] = ()

    @property
    def qualified(self) -> str:
        return f"{self.table}.{self.name}"

    @property
    def key(self) -> Key:
        return ("constraint", self.qualified)


@record
class Index(Record):
    schema: str
    table: str
    qualified: str
    definition: str
    comment: str | None

    @property
    def key(self) -> Key:
        return ("index", self.qualified)


@record
class Statistics(Record):
    """An extended statistics object (CREATE STATISTICS)."""

    schema: str
    qualified: str
    table: str  # the table or materialized view it is on
    # as PostgreSQL prints it: its columns in the table's order, which is not compared
    definition: str = field(compare=False)
    kinds: str  # sorted: d ndistinct, e expressions, f dependencies, m mcv
    columns: tuple[str, ...]  # sorted by name
    expressions: tuple[str, ...]
    target: int | None  # ALTER STATISTICS ... SET STATISTICS; None: the default
    owner: str = field(compare=False)
    comment: str | None

    @property
    def key(self) -> Key:
        return ("statistics", self.qualified)


@record
class TextSearchDictionary(Record):
    schema: str
    qualified: str
    template: str  # qualified; a template is C code, made by an extension or by PostgreSQL
    options: Options  # (quoted name, value as SQL), by name: ALTER puts a changed one last
    owner: str = field(compare=False)
    comment: str | None

    @property
    def key(self) -> Key:
        return ("text_search_dictionary", self.qualified)


@record
class TextSearchConfiguration(Record):
    schema: str
    qualified: str
    parser: str  # qualified
    # (token type, its dictionaries in the order they are tried), by token type number;
    # dictionaries as regdictionary prints them (PostgreSQL's own unqualified)
    mappings: tuple[tuple[str, tuple[str, ...]], ...]
    owner: str = field(compare=False)
    comment: str | None

    @property
    def key(self) -> Key:
        return ("text_search_configuration", self.qualified)


@record
class View(Record):
    schema: str
    qualified: str
    materialized: bool
    definition: str
    options: tuple[str, ...]
    columns: tuple[tuple[str, str], ...]  # (name, type) in order: decides CREATE OR REPLACE
    column_comments: tuple[tuple[str, str], ...]
    owner: str = field(compare=False)
    comment: str | None
    privileges: Privileges
    populated: bool = True  # False: a materialized view created or refreshed WITH NO DATA
    cluster_index: str | None = None  # ALTER MATERIALIZED VIEW ... CLUSTER ON (quoted)
    column_privileges: tuple[tuple[str, Privileges], ...] = ()  # (name, grants) of the few
    column_defaults: tuple[tuple[str, str], ...] = ()  # (name, default): plain views only

    @property
    def key(self) -> Key:
        return ("view", self.qualified)


@record
class Function(Record):
    schema: str
    qualified: str  # "s"."f"(identity arguments)
    kind: str  # f function, p procedure, a aggregate, w window
    arguments: str  # with names and defaults
    result: str | None
    language: str
    definition: str  # CREATE OR REPLACE ... from pg_get_functiondef, or CREATE AGGREGATE
    owner: str = field(compare=False)
    comment: str | None
    privileges: Privileges

    @property
    def key(self) -> Key:
        return ("function", self.qualified)

    @property
    def sql_kind(self) -> str:
        return {"p": "PROCEDURE", "a": "AGGREGATE"}.get(self.kind, "FUNCTION")


@record
class Cast(Record):
    """A user-defined cast (CREATE CAST): of no schema, named by the two types it is between."""

    source: str
    target: str
    method: str  # f WITH FUNCTION, b WITHOUT FUNCTION, i WITH INOUT
    function: str | None  # "s"."f"(argument types), for WITH FUNCTION
    context: str  # i AS IMPLICIT, a AS ASSIGNMENT, e explicit only
    comment: str | None

    @property
    def key(self) -> Key:
        return ("cast", f"({self.source} AS {self.target})")


def operator_key(name: str, left: str | None, right: str | None) -> Key:
    """The key of operator `name` ("s".=~) between `left` and `right` (None for a prefix
    operator's): its signature as regoperator prints it."""
    return ("operator", f"{name}({left or 'NONE'},{right or 'NONE'})")


@record
class Operator(Record):
    """A user-defined operator (CREATE OPERATOR)."""

    schema: str
    name: str  # "s".=~: schema-qualified, as COMMUTATOR and NEGATOR name it
    left: str | None  # None: a prefix operator
    right: str
    function: str
    # by name: a commutator's operands are this one's swapped, a negator's the same
    commutator: str | None
    negator: str | None
    restrict: str | None
    join: str | None
    hashes: bool
    merges: bool
    owner: str = field(compare=False)
    comment: str | None

    @property
    def qualified(self) -> str:
        """As DROP, ALTER and COMMENT ON OPERATOR name it: "s".=~(text,text)."""
        return self.key[1]

    @property
    def key(self) -> Key:
        return operator_key(self.name, self.left, self.right)

    @property
    def commutator_key(self) -> Key | None:
        return (
            None
            if self.commutator is None
            else operator_key(self.commutator, self.right, self.left)
        )

    @property
    def negator_key(self) -> Key | None:
        return None if self.negator is None else operator_key(self.negator, self.left, self.right)


@record
class Trigger(Record):
    schema: str
    table: str
    name: str
    definition: str
    enabled: str  # O origin, D disabled, R replica, A always
    comment: str | None
    # (partition, enabled) of the copies on partitions whose state differs from this one's
    clone_states: tuple[tuple[str, str], ...] = ()
    # (partition, comment) of the copies on partitions with a comment
    clone_comments: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> Key:
        return ("trigger", f"{self.table}.{self.name}")


@record
class Rule(Record):
    """A rewrite rule (CREATE RULE) on a table or view; a view's own is its definition."""

    schema: str
    table: str
    name: str
    definition: str  # CREATE RULE ..., as pg_get_ruledef prints it
    enabled: str  # O origin, D disabled, R replica, A always
    comment: str | None

    @property
    def key(self) -> Key:
        return ("rule", f"{self.table}.{self.name}")


@record
class EventTrigger(Record):
    name: str
    event: str
    function: str
    tags: tuple[str, ...]
    enabled: str
    owner: str = field(compare=False)
    comment: str | None

    @property
    def key(self) -> Key:
        return ("event_trigger", self.name)


@record
class Policy(Record):
    schema: str
    table: str
    name: str
    permissive: bool
    command: str  # ALL, SELECT, INSERT, UPDATE, DELETE
    roles: tuple[str, ...]
    using: str | None
    with_check: str | None
    comment: str | None

    @property
    def key(self) -> Key:
        return ("policy", f"{self.table}.{self.name}")


@record
class Publication(Record):
    name: str
    all_tables: bool
    operations: tuple[str, ...]  # insert, update, delete, truncate
    via_root: bool
    members: tuple[tuple[str, str], ...]  # (e.g. "TABLE s.t", "TABLE s.t (a) WHERE (...)")
    tables: tuple[str, ...] = field(compare=False)  # member tables, for ordering
    owner: str = field(compare=False)
    comment: str | None

    @property
    def key(self) -> Key:
        return ("publication", self.name)


@record
class ForeignDataWrapper(Record):
    name: str
    handler: str | None  # qualified function name
    validator: str | None
    options: Options
    owner: str = field(compare=False)
    comment: str | None
    privileges: Privileges

    @property
    def key(self) -> Key:
        return ("foreign_data_wrapper", self.name)


@record
class ForeignServer(Record):
    name: str
    wrapper: str
    type: str | None
    version: str | None
    options: Options
    # Who has a user mapping on it (quoted role names, PUBLIC): only to drop them before
    # the server. Their options hold passwords: never read, so never created by a plan.
    user_mappings: tuple[str, ...] = field(compare=False)
    owner: str = field(compare=False)
    comment: str | None
    privileges: Privileges

    @property
    def key(self) -> Key:
        return ("server", self.name)


@record
class DefaultPrivilege(Record):
    role: str
    schema: str | None
    object_type: str  # r tables, S sequences, f functions, T types, n schemas
    privileges: Privileges

    @property
    def key(self) -> Key:
        return ("default_privilege", f"{self.role}/{self.schema or ''}/{self.object_type}")


CatalogObject = (
    Schema
    | Extension
    | Collation
    | EnumType
    | Domain
    | CompositeType
    | RangeType
    | Sequence
    | Table
    | Constraint
    | Index
    | Statistics
    | TextSearchDictionary
    | TextSearchConfiguration
    | View
    | Function
    | Cast
    | Operator
    | Trigger
    | Rule
    | EventTrigger
    | Policy
    | Publication
    | ForeignDataWrapper
    | ForeignServer
    | DefaultPrivilege
)
T = TypeVar("T")


@record
class Catalog(Record):
    """Every object of a database in scope, and what depends on what.

    `dependencies[k]` holds the keys object `k` needs to exist first; a key of kind
    "column" (`"s"."t"."c"`) marks a dependency on one column of a table.
    """

    objects: Mapping[Key, CatalogObject]
    dependencies: Mapping[Key, frozenset[Key]]
    server_version: int = field(compare=False, default=0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "objects", MappingProxyType(dict(self.objects)))
        object.__setattr__(self, "dependencies", MappingProxyType(dict(self.dependencies)))

    def __reduce__(self) -> tuple[type[Catalog], tuple[object, ...]]:
        # the read-only mapping views cannot be pickled; their dicts can
        return (Catalog, (dict(self.objects), dict(self.dependencies), self.server_version))

    def __iter__(self) -> Iterator[CatalogObject]:
        return iter(self.objects.values())

    def __len__(self) -> int:
        return len(self.objects)

    def of_type(self, kind: type[T]) -> list[T]:
        return [obj for obj in self.objects.values() if isinstance(obj, kind)]

    @property
    def tables(self) -> list[Table]:
        return self.of_type(Table)

    @property
    def views(self) -> list[View]:
        return self.of_type(View)

    @property
    def functions(self) -> list[Function]:
        return self.of_type(Function)

    def depends_on(self, key: Key) -> frozenset[Key]:
        return self.dependencies.get(key, frozenset())

    @cached_property
    def columns_by_type(self) -> dict[str, list[tuple[Table, Column]]]:
        """The columns declared with a type of a schema (built-in types are not qualified),
        or an array of one, by that type; a partition's come from its parent."""
        found: dict[str, list[tuple[Table, Column]]] = {}
        for table in self.objects.values():
            if type(table) is not Table or table.partition_of:
                continue
            for col in table.columns:
                if col.local and "." in col.type:
                    found.setdefault(col.type.removesuffix("[]"), []).append((table, col))
        return found

    @cached_property
    def children(self) -> dict[str, list[Table]]:
        """The partitions and heirs of each table that has some, by its name."""
        found: dict[str, list[Table]] = {}
        for table in self.tables:
            for parent in table.parents:
                found.setdefault(parent, []).append(table)
        return found

    def table_of(self, column_key: Key) -> Table | None:
        """The table of a ("column", '"s"."t"."c"') key (names may hold dots: try each)."""
        name = column_key[1]
        cut = len(name)
        while (cut := name.rfind(".", 0, cut)) > 0:
            table = self.objects.get(("table", name[:cut]))
            if isinstance(table, Table):
                return table
        return None

    def parent_column(self, table: Table, name: str) -> Column | None:
        """Column `name` of the first of the table's parents that has it (the one it
        inherits)."""
        for parent in table.parents:
            found = self.objects.get(("table", parent))
            col = found.column(name) if isinstance(found, Table) else None
            if col is not None:
                return col
        return None


def empty_catalog() -> Catalog:
    return Catalog({}, {})
