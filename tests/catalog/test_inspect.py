"""Inspection on real servers: identity by name, scope, dependencies, read-only sessions."""

from __future__ import annotations

import psycopg
import pytest

import pgalign
from pgalign.catalog.inspect import inspect
from pgalign.catalog.model import (
    Cast,
    Column,
    CompositeType,
    Domain,
    EnumType,
    Extension,
    ForeignDataWrapper,
    ForeignServer,
    ForeignSource,
    Operator,
    Policy,
    Publication,
    Statistics,
    Table,
    TextSearchConfiguration,
    TextSearchDictionary,
)
from pgalign.catalog.scope import Scope
from pgalign.connect import connect
from tests.conftest import PgServer, execute


def test_same_schema_built_in_different_orders_gives_equal_catalogs(
    db_factory: PgServer,
) -> None:
    a, b = db_factory.create_database(), db_factory.create_database()
    execute(a, "create table t (a int); create table u (b text); create view v as select a from t;")
    execute(
        b,
        "create table u (b text); create table junk (x int); drop table junk;"
        " create table t (a int); create view v as select a from t;",
    )
    assert inspect(a) == inspect(b)


def test_dependencies_name_objects_and_columns_never_oids(db: str) -> None:
    execute(
        db,
        "create type mood as enum ('sad', 'ok');"
        " create table t (a int, m mood); create view v as select a from t;",
    )
    catalog = inspect(db)
    assert catalog.depends_on(("view", "public.v")) >= {
        ("table", "public.t"),
        ("column", "public.t.a"),
    }
    assert ("column", "public.t.m") not in catalog.depends_on(("view", "public.v"))
    assert ("type", "public.mood") in catalog.depends_on(("table", "public.t"))


def test_each_kind_is_read_with_its_attributes(db: str, pg: PgServer) -> None:
    execute(
        db,
        "create type mood as enum ('sad', 'ok', 'happy');"
        " create table \"Odd Name\" (id int generated always as identity, m mood default 'ok',"
        ' c text collate "C");'
        ' alter table "Odd Name" enable row level security;'
        ' create policy p on "Odd Name" as restrictive for update to public'
        " using (m <> 'sad') with check (true);"
        " create publication pub for table \"Odd Name\" with (publish = 'insert');",
    )
    catalog = inspect(db)
    mood = catalog.objects[("type", "public.mood")]
    assert isinstance(mood, EnumType) and mood.labels == ("sad", "ok", "happy")
    table = catalog.objects[("table", 'public."Odd Name"')]
    assert isinstance(table, Table) and table.rls_enabled
    ident_col = table.column("id")
    assert isinstance(ident_col, Column) and ident_col.identity == "a" and ident_col.not_null
    assert table.column("m") is not None and table.column("m").default == "'ok'::public.mood"  # type: ignore[union-attr]
    assert table.column("c").collation == 'pg_catalog."C"'  # type: ignore[union-attr]
    policy = catalog.objects[("policy", 'public."Odd Name".p')]
    assert isinstance(policy, Policy)
    assert (policy.permissive, policy.command, policy.roles) == (False, "UPDATE", ("PUBLIC",))
    publication = catalog.objects[("publication", "pub")]
    assert isinstance(publication, Publication) and publication.operations == ("insert",)
    # the identity column's sequence belongs to the column, not to the catalog
    assert not [key for key in catalog.objects if key[0] == "sequence"]


def test_foreign_objects_are_read_but_never_a_user_mappings_options(db: str) -> None:
    execute(
        db,
        "create foreign data wrapper w options (debug 'x');"
        " create foreign data wrapper v validator postgresql_fdw_validator;"
        " create server s type 'db' version '2' foreign data wrapper v options (host 'h');"
        " create user mapping for public server s options (password 'secret-pw');"
        " create server t foreign data wrapper w;"
        " create foreign table ft (a int options (column_name 'A'), b text)"
        " server t options (\"Odd\" 'it''s');",
    )
    catalog = inspect(db)
    wrappers = {wrapper.name: wrapper for wrapper in catalog.of_type(ForeignDataWrapper)}
    assert (wrappers["v"].handler, wrappers["v"].validator) == (None, "postgresql_fdw_validator")
    assert wrappers["w"].options == (("debug", "'x'"),)
    servers = {server.name: server for server in catalog.of_type(ForeignServer)}
    assert (servers["s"].wrapper, servers["s"].type, servers["s"].version) == ("v", "db", "2")
    assert (servers["s"].options, servers["s"].user_mappings) == ((("host", "'h'"),), ("PUBLIC",))
    (table,) = catalog.tables
    assert table.foreign == ForeignSource("t", (('"Odd"', "'it''s'"),))
    assert table.column("a").fdw_options == (("column_name", "'A'"),)  # type: ignore[union-attr]
    assert ("server", "t") in catalog.depends_on(table.key)
    assert ("foreign_data_wrapper", "v") in catalog.depends_on(("server", "s"))
    assert "secret-pw" not in repr(catalog)


def test_extension_members_are_left_out_but_the_extension_is_kept(db: str, pg: PgServer) -> None:
    pg.require_extension("hstore")
    execute(db, "create extension hstore; create table t (h hstore);")
    catalog = inspect(db)
    assert ("extension", "hstore") in catalog.objects
    assert not [k for k in catalog.objects if k[0] in ("type", "function")]
    assert ("extension", "hstore") in catalog.depends_on(("table", "public.t"))


def test_scope_keeps_named_schemas_and_drops_excluded_and_platform_ones(db: str) -> None:
    execute(
        db,
        "create schema app; create table app.t (a int); create schema auth;"
        " create table auth.users (id int); create table public.p (a int);",
    )
    default = inspect(db)
    assert ("table", "app.t") in default.objects and ("table", "public.p") in default.objects
    assert ("table", "auth.users") not in default.objects
    only_app = inspect(db, schemas=["app"])
    assert {k for k in only_app.objects if k[0] == "table"} == {("table", "app.t")}
    assert ("table", "auth.users") in inspect(db, schemas=["auth"]).objects
    assert ("table", "app.t") not in inspect(db, exclude_schemas=["app"]).objects
    assert Scope.of(["auth"]).includes("auth") and not Scope().includes("auth")


def test_inspection_runs_read_only_and_leaves_the_connection_idle(db: str) -> None:
    execute(db, "create table t (a int)")
    with connect(db) as conn:
        pgalign.inspect(conn)
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        # the session's own search_path is untouched by the inspection's empty one
        (path,) = conn.execute("SHOW search_path").fetchone()  # type: ignore[misc]
        assert path == '"$user", public'


def test_inspection_reads_without_jit_or_parallel_workers_in_its_own_transaction(db: str) -> None:
    """On a server built with LLVM, a big schema's catalog queries would be compiled first."""
    from pgalign.catalog.inspect import snapshot
    from pgalign.catalog.scope import Scope

    with connect(db) as conn:
        with snapshot(conn, Scope()):
            row = conn.execute(
                "SELECT current_setting('jit'), current_setting('search_path'),"
                " current_setting('max_parallel_workers_per_gather')"
            ).fetchone()
        assert row == ("off", "", "0")
        assert conn.execute("SHOW jit").fetchone() == ("on",)  # the session's own, untouched


def test_comments_on_domain_checks_type_attributes_and_extensions_are_read(
    db: str, pg: PgServer
) -> None:
    pg.require_extension("citext")
    execute(
        db,
        "create domain d as int constraint pos check (value > 0) constraint odd check (value < 9);"
        " comment on constraint pos on domain d is 'positive';"
        " create type c as (a int, b text); comment on column c.b is 'bee';"
        " create extension citext; comment on extension citext is 'mine';",
    )
    catalog = inspect(db)
    domain = catalog.objects[("type", "public.d")]
    assert isinstance(domain, Domain)
    assert [(c.name, c.comment) for c in domain.constraints] == [("odd", None), ("pos", "positive")]
    composite = catalog.objects[("type", "public.c")]
    assert isinstance(composite, CompositeType) and composite.attribute_comments == (("b", "bee"),)
    citext = catalog.objects[("extension", "citext")]
    assert isinstance(citext, Extension) and citext.comment == "mine"
    # what CREATE EXTENSION says, which a plan creating it need not say again
    assert citext.default_comment and "case-insensitive" in citext.default_comment


def test_a_connection_error_is_one_clear_error(db: str) -> None:
    from pgalign.errors import ConnectError

    with pytest.raises(ConnectError):
        inspect("postgresql://nobody:secret@127.0.0.1:1/none")


def test_extensions_in_supabases_extensions_schema_are_kept_but_not_their_objects(
    db: str, pg: PgServer
) -> None:
    pg.require_extension("citext")
    execute(db, "create schema extensions; create extension citext with schema extensions;")
    catalog = inspect(db)
    citext = catalog.objects[("extension", "citext")]
    assert isinstance(citext, Extension)
    assert (citext.name, citext.schema) == ("citext", "extensions")
    assert ("schema", "extensions") not in catalog.objects
    assert ("extension", "citext") not in inspect(db, exclude_schemas=["extensions"]).objects


def test_extended_statistics_are_read_in_the_scope_of_their_own_schema(db: str) -> None:
    execute(
        db,
        "create schema app; create table t (c int, a int, b int);"
        " create statistics app.s (mcv, dependencies) on c, a, (a + b) from t;"
        " alter statistics app.s set statistics 40; comment on statistics app.s is 'x';"
        " create statistics plain on a, b from t;",
    )
    catalog = inspect(db)
    found, plain = (catalog.objects[("statistics", name)] for name in ("app.s", "public.plain"))
    assert isinstance(found, Statistics) and isinstance(plain, Statistics)
    made_of = (found.table, found.kinds, found.columns, found.expressions, found.target)
    assert made_of == ("public.t", "efm", ("a", "c"), ("(a + b)",), 40)  # columns by name
    assert found.definition.startswith("CREATE STATISTICS app.s (dependencies, mcv) ON ")
    assert (found.comment, plain.target) == ("x", None)  # -1 before PostgreSQL 17: None
    assert catalog.depends_on(found.key) >= {("table", "public.t"), ("column", "public.t.a")}
    assert ("statistics", "app.s") in inspect(db, schemas=["app"]).objects
    excluded = inspect(db, exclude_schemas=["app"]).objects
    assert ("statistics", "app.s") not in excluded and ("statistics", "public.plain") in excluded


def test_text_search_configurations_and_dictionaries_are_read_with_their_users(
    db: str, pg: PgServer
) -> None:
    pg.require_extension("unaccent")
    execute(
        db,
        "create extension unaccent; create schema app;"
        " create text search dictionary app.d (template = simple, stopwords = english);"
        " alter text search dictionary app.d (accept = false);"  # ALTER puts it last
        " alter text search dictionary app.d (stopwords = english);"
        " comment on text search dictionary app.d is 'dee';"
        " create text search configuration app.c (parser = default);"
        ' alter text search configuration app.c add mapping for word, "int" with unaccent, app.d;'
        " alter text search configuration app.c add mapping for asciiword with english_stem;"
        " comment on text search configuration app.c is 'cee';"
        " create text search dictionary app.u (template = unaccent, rules = unaccent);"
        " create table t (b text, v tsvector generated always as (to_tsvector('app.c', b)) stored);"
        " create index t_fts on t using gin (to_tsvector('app.c'::regconfig, b));",
    )
    catalog = inspect(db)
    config = catalog.objects[("text_search_configuration", "app.c")]
    dictionary = catalog.objects[("text_search_dictionary", "app.d")]
    assert isinstance(config, TextSearchConfiguration)
    assert isinstance(dictionary, TextSearchDictionary)
    assert (config.parser, config.comment) == ('pg_catalog."default"', "cee")
    assert config.mappings == (  # by token type number; PostgreSQL's own dictionaries bare
        ("asciiword", ("english_stem",)),
        ("word", ("public.unaccent", "app.d")),
        ('"int"', ("public.unaccent", "app.d")),
    )
    made_of = (dictionary.template, dictionary.options, dictionary.comment)
    assert made_of == (
        "pg_catalog.simple",
        (("accept", "'false'"), ("stopwords", "'english'")),
        "dee",
    )
    # the extension's dictionary is its own; what uses it uses the extension
    assert not any(key[1] == "public.unaccent" for key in catalog.objects)
    assert catalog.depends_on(config.key) >= {dictionary.key, ("extension", "unaccent")}
    on_template = ("text_search_dictionary", "app.u")  # the extension's
    assert ("extension", "unaccent") in catalog.depends_on(on_template)
    for user in (("index", "public.t_fts"), ("column", "public.t.v")):
        assert config.key in catalog.depends_on(user)
    excluded = inspect(db, exclude_schemas=["app"]).objects
    assert config.key not in excluded and dictionary.key not in excluded


def test_casts_and_operators_are_read_with_what_they_use(db: str) -> None:
    execute(
        db,
        "create schema app; create type app.pair as (a int, b int);"
        " create function app.show(app.pair) returns text language sql as $$select 'p'$$;"
        " create cast (app.pair as text) with function app.show(app.pair) as assignment;"
        " comment on cast (app.pair as text) is 'c'; create cast (money as boolean) with inout;"
        " create function app.eq(text, text) returns boolean language sql as 'select true';"
        " create function app.ne(text, text) returns boolean language sql as 'select false';"
        " create function app.no(text) returns boolean language sql as 'select false';"
        " create operator app.=~ (leftarg = text, rightarg = text, function = app.eq,"
        " commutator = operator(app.=~), negator = operator(app.!=~), restrict = eqsel, hashes);"
        " create operator app.!=~ (leftarg = text, rightarg = text, function = app.ne);"
        " create operator app.~~~ (rightarg = text, function = app.no, negator = operator(app.#));"
        " comment on operator app.=~ (text, text) is 'o';"
        " create view v as select 'a' operator(app.=~) 'b' as x;"
        " create type app.r as range (subtype = float8);",
    )
    catalog = inspect(db)
    # not a range type's cast to its multirange: made with the type
    assert {key for key in catalog.objects if key[0] == "cast"} == {
        ("cast", "(app.pair AS text)"),
        ("cast", "(money AS boolean)"),
    }
    cast = catalog.objects[("cast", "(app.pair AS text)")]
    assert cast == Cast("app.pair", "text", "f", "app.show(app.pair)", "a", "c")
    inout = Cast("money", "boolean", "i", None, "e", None)
    assert catalog.objects[("cast", "(money AS boolean)")] == inout
    assert catalog.depends_on(cast.key) == {
        ("type", "app.pair"),
        ("function", "app.show(app.pair)"),
    }
    eq, ne = (catalog.objects[("operator", f"app.{name}(text,text)")] for name in ("=~", "!=~"))
    assert isinstance(eq, Operator) and isinstance(ne, Operator)
    assert (eq.function, eq.commutator, eq.negator, eq.restrict, eq.join) == (
        "app.eq",
        "app.=~",
        "app.!=~",
        "eqsel",
        None,
    )
    assert (eq.hashes, eq.merges, eq.comment, eq.commutator_key) == (True, False, "o", eq.key)
    # !=~ filled the shell =~ made of it, with no link of its own
    assert (ne.negator, ne.commutator) == (None, None)
    # a prefix operator; the negator it names is a shell until created, and is not read
    assert ("operator", "app.~~~(NONE,text)") in catalog.objects
    assert not [name for kind, name in catalog.objects if kind == "operator" and "#" in name]
    assert catalog.depends_on(eq.key) >= {("function", "app.eq(text, text)"), ("schema", "app")}
    assert eq.key in catalog.depends_on(("view", "public.v"))
    # a cast is in scope with its types or function; with none of its own, always
    in_app = inspect(db, schemas=["app"]).objects
    assert {cast.key, inout.key, eq.key} <= in_app.keys()
    outside = inspect(db, exclude_schemas=["app"]).objects
    assert cast.key not in outside and eq.key not in outside and inout.key in outside
