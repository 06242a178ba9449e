"""Property: between any two schemas drawn from a wide DDL palette, the plan converges.

The narrow generator of test_properties.py draws tables and their columns; this one draws
from most of what pgalign reads: schemas, collations, enums, domains, composite and range
types, sequences, functions (used in defaults, CHECKs, views, triggers and policies),
identity and generated columns, keys, exclusion constraints, inheritance, partitions,
views on views (and their options), materialized views, triggers (row and statement, with
transition tables), rules, grants, default privileges, policies, publications, storage
parameters, column settings, extended statistics, unlogged tables, procedures, aggregates,
event triggers and comments. Names come from one small pool, so most objects exist on
both sides with other attributes. The source holds a few rows, whose values convert to
every type their column may be given on the other side (a conversion that cannot succeed
is not pgalign's).

Every drawn schema is valid SQL by construction: a combination PostgreSQL refuses is never
drawn, rather than thrown away.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import PgServer
from tests.diff.converge import TEST_ROLES, converge, ensure_roles

ROLE = TEST_ROLES[0]
SLOW = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
LABELS = ["a", "b", "c", "d"]
NUMBERS = {"integer", "bigint", "numeric", "pos"}
STRINGS = {"text", "varchar(20)"}
KEY_TYPES = ["integer", "bigint", "text"]
# Columns holding rows take types whose text '1' and '2' parse, so conversions succeed.
DATA_TYPES = ["integer", "bigint", "numeric", "text", "varchar(20)"]


@dataclass
class Column:
    name: str
    type: str
    definition: str  # everything after the type
    data: bool  # whether rows give it a value
    not_null: bool = False


@dataclass
class Table:
    name: str  # qualified
    key_type: str
    columns: list[Column]
    primary_key: bool
    identity: str | None  # ALWAYS, BY DEFAULT, or none

    def has(self, name: str) -> bool:
        return any(c.name == name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def numeric_key(self) -> bool:
        return self.key_type in ("integer", "bigint")


@dataclass
class World:
    """What one schema has drawn so far, and its SQL by section (run in this order)."""

    app: bool = False
    collation: bool = False
    mood: str | None = None  # qualified name of the enum
    labels: list[str] = field(default_factory=list)
    pos: bool = False
    dmood: bool = False
    pair: bool = False
    span: bool = False
    seq: bool = False
    f_sql: bool = False
    f_ok: str | None = None  # its argument type
    trg: bool = False
    cfg: bool = False  # a text search configuration
    op: bool = False  # the operator ===
    rows: int = 0
    tables: dict[str, Table] = field(default_factory=dict)
    types: list[str] = field(default_factory=list)
    ddl: list[str] = field(default_factory=list)
    data: list[str] = field(default_factory=list)
    post: list[str] = field(default_factory=list)

    def sql(self) -> str:
        return "\n".join(self.types + self.ddl + self.data + self.post)

    def ok(self, arg: str) -> str:
        """A call of f_ok on a numeric expression."""
        return f"f_ok({arg})"


def _maybe(draw: st.DrawFn) -> bool:
    return draw(st.booleans())


def _types(draw: st.DrawFn, w: World) -> None:
    out = w.types
    w.app = _maybe(draw)
    if w.app:
        out.append("create schema app;")
        if _maybe(draw):
            out.append(f"grant usage on schema app to {ROLE};")
        if _maybe(draw):
            out.append("comment on schema app is 'application';")
    locale = draw(st.sampled_from([None, "C", "POSIX"]))
    if locale:
        w.collation = True
        out.append(f"create collation coll (provider = libc, locale = '{locale}');")
    if _maybe(draw):
        w.mood = "app.mood" if w.app and _maybe(draw) else "mood"
        w.labels = draw(st.lists(st.sampled_from(LABELS), min_size=1, max_size=4, unique=True))
        out.append(f"create type {w.mood} as enum ({', '.join(repr(x) for x in w.labels)});")
        if _maybe(draw):
            out.append(f"comment on type {w.mood} is 'feelings';")
    check = draw(st.sampled_from([None, "", "value >= 0", "value > 0", "value < 1000"]))
    if check is not None:
        w.pos = True
        default = draw(st.sampled_from(["", " default 1", " default 5"]))
        out.append(f"create domain pos as integer{default}{f' check ({check})' if check else ''};")
        if _maybe(draw):
            out.append("comment on domain pos is 'positive';")
        if _maybe(draw):  # (before anything stores the domain: rows could not be checked)
            valid = draw(st.sampled_from(["", " not valid"]))
            out.append(f"alter domain pos add constraint pos_small check (value < 100000){valid};")
    if w.mood and _maybe(draw):
        w.dmood = True
        checks = [""] + [f" check (value <> '{label}')" for label in w.labels]  # rows: null
        out.append(f"create domain dmood as {w.mood}{draw(st.sampled_from(checks))};")
    attributes = draw(
        st.lists(
            st.sampled_from(
                [("a", "integer"), ("a", "bigint"), ("b", "text"), ("c", "numeric"), ("d", "pos")]
            ),
            max_size=3,
            unique_by=lambda a: a[0],
        )
    )
    attributes = [(n, t) for n, t in attributes if t != "pos" or w.pos]
    if attributes:
        w.pair = True
        out.append(f"create type pair as ({', '.join(f'{n} {t}' for n, t in attributes)});")
    subtype = draw(st.sampled_from([None, "integer", "bigint"]))
    if subtype:
        w.span = True
        out.append(f"create type span as range (subtype = {subtype});")
    if _maybe(draw):
        w.seq = True
        options = draw(st.sampled_from(["", " increment by 2", " as integer", " cache 10"]))
        out.append(f"create sequence seq{options};")
        if _maybe(draw):
            out.append(f"grant usage on sequence seq to {ROLE};")
        if _maybe(draw):
            out.append("comment on sequence seq is 'numbers';")


def _functions(draw: st.DrawFn, w: World) -> None:
    out = w.types
    if _maybe(draw):
        w.f_sql = True
        returns = draw(st.sampled_from(["integer", "bigint"]))
        body = draw(st.sampled_from(["select 1", "select 2"]))
        volatility = draw(st.sampled_from(["", " stable", " immutable"]))
        out.append(f"create function f_sql() returns {returns} language sql{volatility}")
        out.append(f"  as '{body}';")
        if _maybe(draw):
            out.append(f"grant execute on function f_sql() to {ROLE};")
        if _maybe(draw):
            out.append("comment on function f_sql() is 'one';")
    if _maybe(draw):
        w.f_ok = draw(st.sampled_from(["numeric", "bigint"]))
        if _maybe(draw):
            body = "language sql immutable as 'select $1 >= 0'"
        else:
            body = "language plpgsql immutable as 'begin return x > -1; end'"
        out.append(f"create function f_ok(x {w.f_ok}) returns boolean {body};")
        if _maybe(draw):
            out.append(f"revoke execute on function f_ok({w.f_ok}) from public;")
    if _maybe(draw):
        w.trg = True
        body = draw(
            st.sampled_from(
                [
                    "begin return new; end",
                    "begin new.id := new.id; return new; end",
                    "begin return null; end",
                ]
            )
        )
        out.append(f"create function trg() returns trigger language plpgsql as '{body}';")


def _search_and_operators(draw: st.DrawFn, w: World) -> None:
    """A text search configuration on a dictionary of its own, an operator (with its
    function) and a cast from the enum: used below by indexes and CHECKs."""
    out = w.types
    if _maybe(draw):
        w.cfg = True
        option = draw(st.sampled_from(["stopwords = english", "accept = false"]))
        out.append(f"create text search dictionary dict1 (template = simple, {option});")
        copied = draw(st.sampled_from(["simple", "english"]))
        out.append(f"create text search configuration cfg (copy = {copied});")
        dictionaries = draw(st.sampled_from(["dict1", "dict1, simple", "simple"]))
        out.append(
            "alter text search configuration cfg"
            f" alter mapping for word, asciiword with {dictionaries};"
        )
    if _maybe(draw):
        w.op = True
        body = draw(st.sampled_from(["select $1 = $2", "select $1 >= $2"]))
        out.append(
            "create function op_eq(integer, integer) returns boolean"
            f" language sql immutable as '{body}';"
        )
        links = ["", ", commutator = ===", ", restrict = eqsel", ", negator = !==="]
        option = draw(st.sampled_from(links))
        out.append(
            "create operator === (leftarg = integer, rightarg = integer,"
            f" function = op_eq{option});"
        )
    if w.mood and _maybe(draw):
        out.append(
            f"create function mood_rank({w.mood}) returns integer"
            " language sql immutable as 'select 1';"
        )
        context = draw(st.sampled_from(["", " as assignment", " as implicit"]))
        out.append(f"create cast ({w.mood} as integer) with function mood_rank({w.mood}){context};")


def _data_column(draw: st.DrawFn, w: World, name: str) -> Column:
    typ = draw(st.sampled_from(DATA_TYPES + (["pos"] if w.pos else [])))
    text = ""
    if typ in STRINGS and w.collation and _maybe(draw):
        text += " collate coll"
    defaults: list[str | None] = [None]
    if typ in NUMBERS:
        defaults += ["7"] + (["f_sql()"] if w.f_sql else []) + (["nextval('seq')"] if w.seq else [])
    else:
        defaults += ["'z'"]
    default = draw(st.sampled_from(defaults))
    not_null = False
    if default is not None:
        text += f" default {default}"
        not_null = _maybe(draw)  # only with a default: a new column fills its rows
        if not_null:
            text += " not null"
    return Column(name, typ, text, data=True, not_null=not_null)


def _other_column(draw: st.DrawFn, w: World, name: str) -> Column:
    """A column of any type, null in every row (so it converts to anything, and is never
    NOT NULL)."""
    options: list[tuple[str, list[str]]] = [
        ("boolean", ["true"]),
        ("integer[]", ["'{}'"]),
        ("jsonb", ["'{}'"]),
        ("text", ["'q'"]),
    ]
    if w.mood:
        options += [(w.mood, [f"'{x}'" for x in w.labels]), (f"{w.mood}[]", ["'{}'"])]
    if w.dmood:
        options.append(("dmood", []))
    if w.pair:
        options.append(("pair", []))
    if w.span:
        options.append(("span", ["'[1,2)'"]))
    typ, defaults = draw(st.sampled_from(options))
    default = draw(st.sampled_from([None, *defaults]))
    return Column(name, typ, f" default {default}" if default else "", data=False)


def _table(draw: st.DrawFn, w: World, name: str) -> Table:
    key_type = draw(st.sampled_from(KEY_TYPES))
    identity = None
    if key_type != "text" and _maybe(draw):
        identity = draw(st.sampled_from(["always", "by default"]))
    primary_key = _maybe(draw)
    key = f"id {key_type}"
    if identity:
        key += f" generated {identity} as identity"
    elif primary_key or _maybe(draw):
        key += " not null"
    columns = [Column("id", key_type, key[len(f"id {key_type}") :], data=True)]
    chosen = draw(st.sets(st.sampled_from(["n1", "n2", "x1", "x2", "r", "g"])))
    for col_name in ["n1", "n2", "x1", "x2", "r", "g"]:
        if col_name not in chosen:
            continue
        if col_name.startswith("n"):
            columns.append(_data_column(draw, w, col_name))
        elif col_name.startswith("x"):
            columns.append(_other_column(draw, w, col_name))
        elif col_name == "r":
            types = ["int4range", "int8range"] + (["span"] if w.span else [])
            columns.append(Column("r", draw(st.sampled_from(types)), "", data=True))
        else:
            typ = draw(st.sampled_from(["integer", "bigint", "numeric"]))
            expression = "id * 2" if key_type != "text" else "length(id)"
            columns.append(
                Column("g", typ, f" generated always as ({expression}) stored", data=False)
            )
    return Table(name, key_type, columns, primary_key, identity)


def _tables(draw: st.DrawFn, w: World) -> None:
    w.rows = draw(st.integers(0, 2))
    names = sorted(draw(st.sets(st.sampled_from(["t1", "t2", "t3"]))))
    for name in names:
        qualified = "app.t3" if name == "t3" and w.app and _maybe(draw) else name
        table = _table(draw, w, qualified)
        w.tables[name] = table
        parts = [f"{c.name} {c.type}{c.definition}" for c in table.columns]
        if table.primary_key:
            parts.append(f"constraint {name}_pk primary key (id)")
        checks = []
        for col in table.columns:
            if col.name.startswith("n"):
                checks.append(col.name + (" >= 0" if col.type in NUMBERS else " <> ''"))
        if w.f_ok and table.numeric_key:
            checks.append(w.ok("id"))
        if checks and _maybe(draw):
            parts.append(f"constraint {name}_ck check ({draw(st.sampled_from(checks))})")
        uniques = [c.name for c in table.columns if c.data and c.name != "r"]
        if _maybe(draw):
            unique = draw(st.sampled_from(uniques))
            include = [c for c in uniques if c != unique][:1]
            including = f" include ({include[0]})" if include and _maybe(draw) else ""
            parts.append(f"constraint {name}_uq unique ({unique}){including}")
        if w.op and table.key_type == "integer" and _maybe(draw):
            parts.append(f"constraint {name}_op check (id === id)")
        if table.has("r") and _maybe(draw):
            parts.append(f"constraint {name}_ex exclude using gist (r with &&)")
        w.ddl.append(f"create table {qualified} ({', '.join(parts)});")
        if w.rows:
            _rows(w, table)
        _table_extras(draw, w, table, name)
    _foreign_keys(draw, w)


def _rows(w: World, table: Table) -> None:
    columns = [c for c in table.columns if c.name != "g"]  # (null, not the default)
    values = []
    for i in range(1, w.rows + 1):
        values.append("(" + ", ".join(_value(c, i) for c in columns) + ")")
    overriding = " overriding system value" if table.identity else ""
    names = ", ".join(c.name for c in columns)
    w.data.append(f"insert into {table.name} ({names}){overriding} values {', '.join(values)};")


def _value(column: Column, row: int) -> str:
    if not column.data:
        return "null"
    return f"'[{row}0,{row}5)'" if column.name == "r" else f"'{row}'"


def _table_extras(draw: st.DrawFn, w: World, table: Table, short: str) -> None:
    out = w.post
    name = table.name
    indexed = [c.name for c in table.columns if c.data and c.name != "r"]
    index = draw(st.sampled_from([None, *indexed, ", ".join(indexed[:2])]))
    if index:
        where = " where id is not null" if _maybe(draw) else ""
        out.append(f"create index {short}_i on {name} ({index}){where};")
        if _maybe(draw):
            out.append(f"comment on index {_in(name, short + '_i')} is 'fast';")
    texts = [c.name for c in table.columns if c.data and c.type in STRINGS]
    if w.cfg and texts and _maybe(draw):
        out.append(
            f"create index {short}_fts on {name} using gin (to_tsvector('public.cfg', {texts[0]}));"
        )
    if w.trg and _maybe(draw):
        when = " when (new.id is not null)" if _maybe(draw) else ""
        timing = draw(st.sampled_from(["before insert or update", "after insert", "before update"]))
        out.append(
            f"create trigger {short}_tg {timing} on {name} for each row{when}"
            " execute function trg();"
        )
        state = draw(st.sampled_from([None, "disable", "enable always", "enable replica"]))
        if state:
            out.append(f"alter table {name} {state} trigger {short}_tg;")
    policy = draw(st.sampled_from([None, "true", "id is not null", "f_ok"]))
    if policy == "f_ok" and not (w.f_ok and table.numeric_key):
        policy = "false"
    if policy:
        using = w.ok("id") if policy == "f_ok" else policy
        out.append(f"alter table {name} enable row level security;")
        if _maybe(draw):
            out.append(f"alter table {name} force row level security;")
        kind = draw(st.sampled_from(["", " as restrictive", " for select", f" to {ROLE}"]))
        out.append(f"create policy p on {name}{kind} using ({using});")
    privileges = draw(st.sets(st.sampled_from(["select", "insert", "update", "delete"])))
    if privileges:
        out.append(f"grant {', '.join(sorted(privileges))} on {name} to {ROLE};")
    data_columns = [c.name for c in table.columns if c.data]
    if _maybe(draw):
        column = draw(st.sampled_from(data_columns))
        privilege = draw(st.sampled_from(["select", "update"]))
        out.append(f"grant {privilege} ({column}) on {name} to {ROLE};")
    comment = draw(st.sampled_from([None, "first", "it''s second"]))
    if comment:
        out.append(f"comment on table {name} is '{comment}';")
    if _maybe(draw):
        out.append(f"comment on column {name}.id is 'key';")


def _in(table: str, name: str) -> str:
    """`name` in the schema of `table`."""
    return f"app.{name}" if table.startswith("app.") else name


def _foreign_keys(draw: st.DrawFn, w: World) -> None:
    parent = w.tables.get("t1")
    if parent is None or not parent.primary_key:
        return
    for short in ("t2", "t3"):
        child = w.tables.get(short)
        if child is None or not _maybe(draw):
            continue
        same = child.key_type == parent.key_type or (child.numeric_key and parent.numeric_key)
        if not same:
            continue
        action = draw(st.sampled_from(["", " on delete cascade", " on update set null"]))
        if " set null" in action and child.identity:
            action = ""  # identity columns are NOT NULL
        timings = ["", " deferrable", " not valid"]
        if not w.rows:  # rows would leave trigger events pending in the loading transaction
            timings.append(" deferrable initially deferred")
        timing = draw(st.sampled_from(timings))
        w.ddl.append(
            f"alter table {child.name} add constraint {short}_fk foreign key (id)"
            f" references t1 (id){action}{timing};"
        )


def _partitions(draw: st.DrawFn, w: World) -> None:
    if not _maybe(draw):
        return
    strategy = draw(st.sampled_from(["range", "list"]))
    key_type = draw(st.sampled_from(["integer", "bigint"]))
    value = draw(st.sampled_from(["text", "integer", "numeric"]))
    key = ", constraint pt_pk primary key (a)" if _maybe(draw) else ""
    w.ddl.append(
        f"create table pt (a {key_type} not null, b {value}{key}) partition by {strategy} (a);"
    )
    first = "from (0) to (10)" if strategy == "range" else "in (1, 2, 3)"
    second = "from (10) to (20)" if strategy == "range" else "in (10, 11)"
    own = " (b default '5')" if _maybe(draw) else ""
    w.ddl.append(f"create table pt1 partition of pt{own} for values {first};")
    if _maybe(draw):
        w.ddl.append(f"create table pt2 partition of pt for values {second};")
    if _maybe(draw):
        w.ddl.append("create table ptd partition of pt default;")
    if w.rows:
        w.data.append("insert into pt values (1, '1'), (2, '2');")
    if _maybe(draw):
        w.post.append("create index pt_b on pt (b);")
    if _maybe(draw):
        w.post.append("create index pt1_own on pt1 (a, b);")
    if w.trg and _maybe(draw):
        w.post.append(
            "create trigger pt_tg after insert on pt for each row execute function trg();"
        )


def _inheritance(draw: st.DrawFn, w: World) -> None:
    parent = w.tables.get("t1")
    if parent is None or not _maybe(draw):
        return
    columns = [draw(st.sampled_from(["", "extra integer", "extra text default 'e'"]))]
    merged = parent.has("n1") and "collate" not in parent.column("n1").definition
    if merged and _maybe(draw):  # declared again: merged with the parent's
        columns.append(f"n1 {parent.column('n1').type} default '5'")
    w.ddl.append(f"create table ch ({', '.join(c for c in columns if c)}) inherits (t1);")
    if _maybe(draw):
        w.post.append("alter table ch alter column id set default '3';")


def _views(draw: st.DrawFn, w: World) -> None:
    t1 = w.tables.get("t1")
    if t1 is not None and _maybe(draw):
        select = ["id", *[c.name for c in t1.columns if c.name in ("n1", "x1")][:1]]
        if w.f_sql and _maybe(draw):
            select.append("f_sql() as k")
        where = ""
        if w.f_ok and t1.numeric_key and _maybe(draw):
            where = f" where {w.ok('id')}"
        w.post.append(f"create view v1 as select {', '.join(select)} from t1{where};")
        if _maybe(draw):
            w.post.append("comment on view v1 is 'view';")
        if _maybe(draw):
            w.post.append(f"grant select on v1 to {ROLE};")
        if _maybe(draw):
            body = draw(
                st.sampled_from(["select id from v1", "select * from v1 where id is not null"])
            )
            w.post.append(f"create view v2 as {body};")
        rules = [t for t in ("t2", "t3") if t in w.tables]
        if rules and _maybe(draw):
            other = w.tables[draw(st.sampled_from(rules))]
            fits = other.key_type == "text" or (t1.numeric_key and other.numeric_key)
            fits = fits and other.identity != "always"
            action = " (id) values (new.id)" if fits else " default values"
            w.post.append(
                f"create rule r_copy as on insert to t1 do also insert into {other.name}{action};"
            )
    t2 = w.tables.get("t2")
    if t2 is not None and _maybe(draw):
        data = " with no data" if _maybe(draw) else ""
        w.post.append(f"create materialized view mv as select id from t2{data};")
        if _maybe(draw):
            unique = "unique " if _maybe(draw) else ""
            w.post.append(f"create {unique}index mv_i on mv (id);")


def _settings(draw: st.DrawFn, w: World) -> None:
    """Storage parameters, replica identity, column settings, extended statistics and
    statement triggers on the drawn tables; an unlogged table; default privileges."""
    out = w.post
    for short, table in w.tables.items():
        name = table.name
        if _maybe(draw):
            options = ["fillfactor = 70", "autovacuum_enabled = false", "toast_tuple_target = 256"]
            out.append(f"alter table {name} set ({draw(st.sampled_from(options))});")
        if _maybe(draw):
            identity = draw(st.sampled_from(["full", "nothing"]))
            out.append(f"alter table {name} replica identity {identity};")
        for col in table.columns:
            if col.name in ("id", "g") or not _maybe(draw):
                continue
            if col.type in STRINGS:
                choices = ["set storage external", "set compression pglz", "set statistics 50"]
            else:
                choices = ["set statistics 200", "set (n_distinct = 10)"]
            out.append(
                f"alter table {name} alter column {col.name} {draw(st.sampled_from(choices))};"
            )
        plain = [c.name for c in table.columns if c.data and c.name != "r"]
        if len(plain) >= 2 and _maybe(draw):
            kinds = draw(st.sampled_from(["", " (dependencies)", " (ndistinct, mcv)"]))
            out.append(
                f"create statistics {_in(name, short + '_st')}{kinds}"
                f" on {plain[0]}, {plain[1]} from {name};"
            )
            if _maybe(draw):
                out.append(f"alter statistics {_in(name, short + '_st')} set statistics 300;")
        if w.trg and _maybe(draw):
            event = draw(
                st.sampled_from(
                    [
                        "after insert on {} for each statement",
                        "before update of id on {} for each row",
                        "after update on {} referencing new table as nt for each statement",
                    ]
                )
            )
            out.append(f"create trigger {short}_tg2 {event.format(name)} execute function trg();")
    if _maybe(draw):
        unlogged = "unlogged " if _maybe(draw) else ""
        w.ddl.append(f"create {unlogged}table u1 (id integer primary key, v text);")
    if _maybe(draw):
        grant = draw(
            st.sampled_from(
                [
                    f"grant select on tables to {ROLE}",
                    f"grant execute on functions to {ROLE}",
                    "revoke execute on functions from public",
                    f"grant usage on sequences to {ROLE}",
                    f"grant usage on types to {ROLE}",
                ]
            )
        )
        where = " in schema app" if w.app and "revoke" not in grant and _maybe(draw) else ""
        out.append(f"alter default privileges{where} {grant};")


def _routines(draw: st.DrawFn, w: World) -> None:
    """Function settings, a procedure, an aggregate, view options and an event trigger."""
    out = w.post
    if w.f_sql and _maybe(draw):
        setting = draw(
            st.sampled_from(
                ["set search_path = public", "security definer", "cost 10", "leakproof", "strict"]
            )
        )
        out.append(f"alter function f_sql() {setting};")
    if _maybe(draw):
        body = draw(st.sampled_from(["select 1", "select 2"]))
        out.append(f"create procedure pr(x integer) language sql as '{body}';")
        if _maybe(draw):
            out.append(f"grant execute on procedure pr(integer) to {ROLE};")
    if _maybe(draw):
        start = draw(st.sampled_from(["0", "1"]))
        out.append(
            "create aggregate agg(integer)"
            f" (sfunc = int4pl, stype = integer, initcond = '{start}');"
        )
    if any(line.startswith("create view v1 ") for line in out) and _maybe(draw):
        option = draw(
            st.sampled_from(
                ["security_invoker = true", "security_barrier = true", "check_option = local"]
            )
        )
        out.append(f"alter view v1 set ({option});")
    if _maybe(draw):
        out.append("create function evt() returns event_trigger language plpgsql as 'begin end';")
        tag = draw(st.sampled_from(["", " when tag in ('CREATE TABLE')"]))
        out.append(f"create event trigger et on ddl_command_end{tag} execute function evt();")
        if _maybe(draw):
            out.append("alter event trigger et disable;")


def _owned_sequence(draw: st.DrawFn, w: World) -> None:
    if not w.seq:
        return
    owners = [
        f"{t.name}.{c.name}"
        for t in w.tables.values()
        if not t.name.startswith("app.")
        for c in t.columns
        if c.data and c.name != "r"
    ]
    if owners and _maybe(draw):
        w.post.append(f"alter sequence seq owned by {draw(st.sampled_from(owners))};")


def _publication(draw: st.DrawFn, w: World) -> None:
    if not w.tables or not _maybe(draw):
        return
    tables = draw(st.sets(st.sampled_from(sorted(t.name for t in w.tables.values())), min_size=1))
    listed = ", ".join(sorted(tables))
    target = draw(
        st.sampled_from([f"table {listed}"] + (["tables in schema app"] if w.app else []))
    )
    options = draw(st.sampled_from(["", " with (publish = 'insert')"]))
    w.post.append(f"create publication pub for {target}{options};")


@st.composite
def schemas(draw: st.DrawFn) -> str:
    w = World()
    _types(draw, w)
    _functions(draw, w)
    _search_and_operators(draw, w)
    _tables(draw, w)
    _partitions(draw, w)
    _inheritance(draw, w)
    _views(draw, w)
    _settings(draw, w)
    _routines(draw, w)
    _owned_sequence(draw, w)
    _publication(draw, w)
    return w.sql()


# Each example loads two schemas and diffs three times: about two seconds.
WIDE = settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=SLOW)


@WIDE
@given(source=schemas(), target=schemas())
def test_any_two_random_wide_schemas_converge(pg: PgServer, source: str, target: str) -> None:
    ensure_roles(pg.admin_url)
    converge(pg, source, target)
