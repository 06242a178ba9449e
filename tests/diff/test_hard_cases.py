"""Hard cases of our own, one or more per object kind and per known migra failure.

Each converges both ways (source to target and back): after the plan, diffing again is
empty and the catalogs are equal. Some also check how the plan gets there.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from pgalign.catalog.inspect import inspect
from pgalign.diff import diff
from tests.conftest import PgServer
from tests.diff.converge import (
    apply,
    converge,
    converge_and_query,
    databases,
    ensure_roles,
    reads_as_target,
    round_trip,
)

# An FDW handler without an extension (CREATE EXTENSION postgres_fdw makes its own wrapper).
FDW_HANDLER = (
    "create function h() returns fdw_handler language c strict"
    " as '$libdir/postgres_fdw', 'postgres_fdw_handler';"
)
PARTITIONED = (
    "create table p(a int not null, b int) partition by range (a);"
    " create table p1 partition of p for values from (0) to (10);"
)


_SUBPARTITIONED_CLUSTERED = (
    "create table p(a int, b int) partition by list (a);"
    " create table p1 partition of p for values in (1) partition by list (b);"
    " create table p11 partition of p1 for values in (1);"
    " create index pb on p(b); alter table p11 cluster on p11_b_idx;"
)


_TEXT_SEARCH_IN_USE = (
    "create text search dictionary my_dict (template = simple, stopwords = english);"
    " comment on text search dictionary my_dict is 'stop';"
    " create text search configuration english_mine (copy = english);"
    " alter text search configuration english_mine"
    " alter mapping for hword, hword_part, word with my_dict, english_stem;"
    " comment on text search configuration english_mine is 'mine';"
    " create table doc(body text, v tsvector"
    " generated always as (to_tsvector('public.english_mine'::regconfig, body)) stored);"
    " create index doc_fts on doc using gin (to_tsvector('public.english_mine', body));"
)


@dataclass(frozen=True)
class Case:
    name: str
    source: str
    target: str
    min_version: int = 0


CASES = [
    # migra#7, #143: a view created before a view it uses (names sort the wrong way).
    Case(
        "view_on_view_created_in_dependency_order",
        "create table t(a int);",
        "create table t(a int); create view z_base as select a from t;"
        " create view a_top as select a from z_base;",
    ),
    # migra#92: a function used as a column default must exist before the table.
    Case(
        "function_default_created_before_its_table",
        "",
        "create function z_next() returns int language sql as 'select 1';"
        " create table a_t(a int default z_next());",
    ),
    # migra#156: a view grouping by a primary key needs that key first.
    Case(
        "view_relying_on_primary_key_created_after_it",
        "create table t(id int, a text);",
        "create table t(id int primary key, a text);"
        " create view v as select id, a from t group by id;",
    ),
    # migra#194: rebuilding a materialized view keeps its indexes.
    Case(
        "materialized_view_rebuilt_with_its_indexes",
        "create table t(a int); create materialized view mv as select a from t;"
        " create unique index mv_a on mv(a);",
        "create table t(a int); create materialized view mv as select a, 1 as b from t;"
        " create unique index mv_a on mv(a);",
    ),
    Case(
        "partitioned_table_primary_key_on_parent_only",
        "create table m(id int not null, d date not null) partition by range (d);"
        " create table m1 partition of m for values from ('2020-01-01') to ('2021-01-01');",
        "create table m(id int not null, d date not null, primary key (id, d))"
        " partition by range (d);"
        " create table m1 partition of m for values from ('2020-01-01') to ('2021-01-01');"
        " create table m2 partition of m for values from ('2021-01-01') to ('2022-01-01');"
        " create index on m(id);",
    ),
    Case(
        "enum_label_removed_with_default_and_view",
        "create type s as enum('a', 'b', 'c'); create table t(x s default 'a', y s[]);"
        " create view v as select x from t;",
        "create type s as enum('c', 'a'); create table t(x s default 'a', y s[]);"
        " create view v as select x from t;",
    ),
    Case(
        "enum_labels_added_first_and_in_the_middle",
        "create type s as enum('b', 'd'); create table t(x s);",
        "create type s as enum('a', 'b', 'c', 'd', 'e'); create table t(x s);",
    ),
    Case(
        "domain_default_not_null_and_checks",
        "create domain d as int default 1 constraint pos check (value > 0); create table t(a d);",
        "create domain d as int not null default 2 constraint small check (value < 10);"
        " create table t(a d);",
    ),
    Case(
        "composite_type_attributes",
        "create type c as (a int, b text); create type gone as (x int);",
        "create type c as (a bigint, d date); create type r as range (subtype = float8);",
    ),
    Case(
        "serial_column_dropped_with_its_sequence",
        "create table t (id serial, keep int); create table u (id bigserial primary key);",
        "create table t (keep int); create table u (id bigint primary key);",
    ),
    Case(
        "sequence_options_and_owner",
        "create sequence s increment 2 start 10; create table t(id int);",
        "create sequence s as bigint increment 5 minvalue 5 maxvalue 500 start 7 cache 3 cycle;"
        " create table t(id int); alter sequence s owned by t.id;",
    ),
    Case(
        "column_attributes_in_place",
        "create table t(a int, b text default 'x', c int, d int generated always as identity,"
        " e text, f int generated always as (1) stored);"
        " create view v as select a, b from t;",
        "create table t(a bigint not null, b text default 'y', c int generated by default as"
        ' identity, d int, e text collate "C", f int);'
        " create view v as select a, b from t;",
    ),
    Case(
        "constraints_exclusion_deferrable_and_not_valid",
        "create table p(id int primary key); create table c(pid int references p,"
        " r int4range); alter table c add constraint pos check (pid > 0) not valid;",
        "create table p(id int primary key); create table c(pid int references p"
        " deferrable initially deferred, r int4range, exclude using gist (r with &&));"
        " alter table c add constraint pos check (pid > 0);",
    ),
    Case(
        "foreign_key_on_a_unique_index",
        "create table p(id int); create table c(pid int);",
        "create table p(id int); create unique index p_id on p(id);"
        " create table c(pid int references p(id));",
    ),
    Case(
        "indexes_on_expressions_and_partial",
        "create table t(a text, b int); create index t_a on t(lower(a));",
        "create table t(a text, b int); create index t_a on t(upper(a)) where b > 0;"
        " create index t_b on t using hash (b);",
    ),
    Case(
        "view_options_and_replace_in_place",
        "create table t(a int, b int); create view v as select a from t;"
        " create view w as select a from v; create view o with (security_barrier) as"
        " select a from t;",
        "create table t(a int, b int); create view v as select a, b from t;"
        " create view w as select a from v; create view o with (security_invoker = true) as"
        " select a from t where a > 0 with local check option;",
    ),
    Case(
        "functions_procedures_and_aggregates",
        "create function f(i int) returns int language sql immutable as 'select i';"
        " create function g() returns text language plpgsql as $$begin return 'a'; end$$;"
        " create table t(a int); create view v as select f(a) from t;",
        "create function f(i int) returns bigint language sql stable as 'select i::bigint';"
        " create function g() returns text language plpgsql security definer"
        " set search_path = '' as $$begin return 'b'; end$$;"
        " create procedure p(a int) language sql as 'select a';"
        " create aggregate total(int) (sfunc = int4pl, stype = int, initcond = '0');"
        " create table t(a int); create view v as select f(a) from t;",
    ),
    Case(
        "sql_standard_function_body_follows_its_table",
        "create table t(a int); create function f() returns bigint language sql"
        " begin atomic select count(a) from t; end;",
        "create table t(a bigint); create function f() returns bigint language sql"
        " begin atomic select count(a) from t; end;",
    ),
    Case(
        "triggers_enabled_state_and_event_triggers",
        "create table t(a int); create function tf() returns trigger language plpgsql as"
        " $$begin return new; end$$;"
        " create trigger tr before insert on t for each row execute function tf();",
        "create table t(a int); create function tf() returns trigger language plpgsql as"
        " $$begin return new; end$$;"
        " create trigger tr before insert on t for each row when (new.a > 0)"
        " execute function tf();"
        " create trigger tr2 after update on t for each row execute function tf();"
        " alter table t disable trigger tr2;"
        " create function ef() returns event_trigger language plpgsql as $$begin end$$;"
        " create event trigger et on ddl_command_end when tag in ('CREATE TABLE')"
        " execute function ef();",
    ),
    Case(
        "policies_altered_in_place_and_on_functions",
        "create table t(owner text, a int); alter table t enable row level security;"
        " create policy p on t using (owner = current_user);"
        " create policy q on t for insert with check (a > 0);",
        "create function ok(int) returns boolean language sql as 'select $1 > 1';"
        " create table t(owner text, a int); alter table t enable row level security;"
        " alter table t force row level security;"
        " create policy p on t to schemainspect_test_role using (owner = session_user);"
        " create policy q on t as restrictive for insert with check (ok(a));"
        " create policy r on t for update using (true) with check (ok(a));",
    ),
    Case(
        "publications_members_column_lists_and_filters",
        "create table a(id int primary key, x text); create table b(id int primary key);"
        " create publication pub for table a;",
        "create table a(id int primary key, x text); create table b(id int primary key);"
        " create schema s; create publication pub for table a (id) where (id > 0), table b"
        " with (publish = 'insert, update');"
        " create publication pub2 for tables in schema s;",
    ),
    Case(
        "privileges_on_every_kind_and_default_privileges",
        "create schema s; create table s.t(a int, b int); create sequence s.q;"
        " create function s.f() returns int language sql as 'select 1';"
        " create type s.e as enum ('x');"
        " grant usage on schema s to schemainspect_test_role;",
        "create schema s; create table s.t(a int, b int); create sequence s.q;"
        " create function s.f() returns int language sql as 'select 1';"
        " create type s.e as enum ('x');"
        " grant create on schema s to schemainspect_test_role with grant option;"
        " grant select, insert on s.t to schemainspect_test_role;"
        " grant update (b) on s.t to schemainspect_test_role;"
        " grant usage on sequence s.q to schemainspect_test_role;"
        " revoke execute on function s.f() from public;"
        " revoke usage on type s.e from public;"
        " revoke truncate on s.t from postgres;"
        " alter default privileges in schema s grant select on tables"
        " to schemainspect_test_role;"
        " alter default privileges revoke execute on functions from public;",
    ),
    # A table's REVOKE (or REVOKE GRANT OPTION FOR) takes the privilege off its columns too:
    # the columns that keep theirs are granted again.
    Case(
        "column_grants_kept_through_their_tables_revokes",
        "create table t(a int, b int);"
        " grant select, update on t to schemainspect_test_role with grant option;"
        " grant select (a), update (b) on t to schemainspect_test_role with grant option;",
        "create table t(a int, b int); grant update on t to schemainspect_test_role;"
        " grant select (a), update (b) on t to schemainspect_test_role with grant option;",
    ),
    Case(
        "comments_on_every_kind",
        "create schema s; create table s.t(a int constraint c check (a > 0));"
        " create index i on s.t(a); create view s.v as select a from s.t;"
        " create function s.f() returns int language sql as 'select 1';"
        " create type s.e as enum ('x'); create sequence s.q;"
        " comment on table s.t is 'old';",
        "create schema s; create table s.t(a int constraint c check (a > 0));"
        " create index i on s.t(a); create view s.v as select a from s.t;"
        " create function s.f() returns int language sql as 'select 1';"
        " create type s.e as enum ('x'); create sequence s.q;"
        " comment on schema s is 'it''s s'; comment on column s.t.a is 'a';"
        " comment on constraint c on s.t is 'c'; comment on index s.i is 'i';"
        " comment on view s.v is 'v'; comment on function s.f() is 'f';"
        " comment on column s.v.a is 'view column';"
        " comment on type s.e is 'e'; comment on sequence s.q is 'q';",
    ),
    # A domain's checks and a composite type's attributes keep their comments when the type
    # is rebuilt (stored), when a check is added again, and get them when created.
    Case(
        "comments_on_domain_checks_and_type_attributes",
        "create domain d as int constraint pos check (value > 0) constraint low check (value < 9)"
        " constraint odd check (value <> 4);"
        " comment on constraint pos on domain d is 'pos'; comment on constraint low on domain d"
        " is 'low'; create type c as (a int, b text, z int); comment on column c.a is 'a';"
        " comment on column c.z is 'z'; create table t(x c, y d);",
        "create domain d as int constraint pos check (value > 0) constraint low check (value < 8)"
        " constraint odd check (value <> 4);"
        " comment on constraint low on domain d is 'low'; comment on constraint odd on domain d"
        " is 'odd'; create type c as (a bigint, b text); comment on column c.a is 'a';"
        " comment on column c.b is 'b'; create table t(x c, y d);"
        " create domain e as text constraint e check (value <> '');"
        " comment on constraint e on domain e is 'e';"
        " create type n as (a int, b int); comment on column n.b is 'nb';",
    ),
    Case(
        "table_storage_rls_and_replica_identity",
        "create table t(a int); create unlogged table u(a int);",
        "create table t(a int) with (fillfactor = 70); alter table t replica identity full;"
        " create table u(a int not null); create unique index u_a on u(a);"
        " alter table u replica identity using index u_a;"
        " create table k(id int primary key); alter table k replica identity using index k_pkey;",
    ),
    Case(
        "inheritance_and_partitions_attached_and_detached",
        "create table base(a int); create table heir(b int);"
        " create table m(d date not null) partition by range (d);"
        " create table m1 partition of m for values from ('2020-01-01') to ('2021-01-01');"
        " create table loose(d date not null);",
        "create table base(a int); create table heir(b int) inherits (base);"
        " create table m(d date not null) partition by range (d);"
        " create table m1(d date not null);"
        " create table loose partition of m for values from ('2022-01-01') to ('2023-01-01');",
    ),
    Case(
        "column_type_change_rebuilds_dependent_views_and_policies",
        "create table t(a int, b int); create view v as select a + 1 as a1 from t;"
        " create view w as select a1 from v;"
        " alter table t enable row level security; create policy p on t using (a > 0);",
        "create table t(a bigint, b int); create view v as select a + 1 as a1 from t;"
        " create view w as select a1 from v;"
        " alter table t enable row level security; create policy p on t using (a > 0);",
    ),
    # Tables that reference each other in a circle: no order of DROP TABLEs alone works.
    Case(
        "tables_referencing_each_other_dropped",
        "",
        "create table a(id int primary key, b_id int);"
        " create table b(id int primary key, a_id int references a, c_id int);"
        " create table c(id int primary key, b_id int references b);"
        " alter table a add foreign key (b_id) references b;"
        " alter table b add foreign key (c_id) references c;"
        " create table d(id int references a);",
    ),
    # A range that leaves out the sequence's current value is refused without RESTART.
    Case(
        "sequence_range_narrowed_and_widened",
        "create sequence s; create sequence w as smallint minvalue 5 maxvalue 50;",
        "create sequence s as smallint increment 5 minvalue 10 maxvalue 1000 start 20 cycle;"
        " create sequence w;",
    ),
    # Retyping one side of a foreign key first leaves a key between text and integer.
    Case(
        "foreign_key_between_columns_retyped_on_both_sides",
        "create table p(id int primary key); create table c(pid int references p, other int);",
        "create table p(id text primary key); create table c(pid text references p, other int);",
    ),
    # A generated column cannot change its expression: it goes and comes back, with its
    # comment, index and view, around the function it calls.
    Case(
        "generated_column_on_a_function_that_is_replaced",
        "create function f(x int) returns int language sql immutable as 'select x + 1';"
        " create function g(x int) returns int language sql immutable as 'select x';"
        " create table t(a int, b int generated always as (f(a)) stored,"
        " c int generated always as (g(a)) stored);"
        " comment on column t.b is 'x'; create index on t(b); create view v as select b from t;",
        "create function f(x int, y int default 0) returns int language sql immutable"
        " as 'select x + y';"
        " create function g(x int) returns bigint language sql immutable as 'select x';"
        " create table t(a int, b int generated always as (f(a)) stored,"
        " c bigint generated always as (g(a)) stored);"
        " comment on column t.b is 'x'; create index on t(b); create view v as select b from t;",
    ),
    # ALTER ATTRIBUTE ... TYPE is refused while a table column stores the type.
    Case(
        "composite_type_retyped_while_a_table_stores_it",
        "create type c as (a int, b text); create table t(x c, y c[]);",
        "create type c as (a bigint, b text, z int); create table t(x c, y c[]);",
    ),
    # A domain's new constraint cannot check values held in arrays: it is rebuilt.
    Case(
        "domain_constraint_added_while_arrays_of_it_are_stored",
        "create domain d as text check (value <> ''); create table t(a d[] default '{}', b d);",
        "create domain d as text not null check (value <> 'x');"
        " create table t(a d[] default '{}', b d);",
    ),
    Case(
        "domain_base_type_changed_while_stored",
        "create domain d as int; create table t(a d, b d[]); create view v as select a from t;",
        "create domain d as bigint; create table t(a d, b d[]); create view v as select a from t;",
    ),
    # A dropped table leaves its publications; a replaced one is added back.
    Case(
        "publication_members_dropped_and_replaced_with_their_tables",
        "create table m(id int primary key) partition by range(id);"
        " create table u(a int primary key); create publication p for table m, u;",
        "create table m(id int primary key) partition by list(id); create publication p for table m;",
    ),
    Case(
        "identity_options_changed_and_kept_through_a_retype",
        "create table t(id int generated always as identity,"
        " b bigint generated by default as identity (increment by -1),"
        " x smallint generated always as identity (maxvalue 1000), y int not null);",
        "create table t(id bigint generated always as identity"
        " (start with 100 increment by 5 minvalue 50 cache 10 cycle),"
        " b bigint generated by default as identity (increment by -2 minvalue -500),"
        " x integer generated always as identity (maxvalue 1000),"
        " y int not null generated by default as identity (start with 7));",
    ),
    # PostgreSQL cannot retype a column that a generated column reads (one declared before
    # it, here): the generated columns are dropped first and added after the retype.
    Case(
        "generated_columns_reading_a_retyped_column",
        "create table t(b bigint generated always as (a * 2) stored, a int,"
        " c text generated always as (a::text || 'x') stored, d int); create index on t(b);",
        "create table t(b bigint generated always as (a * 2) stored, a bigint,"
        " c text generated always as (a::text || 'x') stored, d int); create index on t(b);",
    ),
    # An enum rebuilt under a domain and a composite type, all stored: the types built on
    # it are rebuilt with it.
    Case(
        "types_built_on_a_rebuilt_enum",
        "create type e as enum('a','b','c'); create domain d as e default 'a';"
        " create type c as (x d, y int); create table t(p c, q d[], r e);",
        "create type e as enum('c','a'); create domain d as e default 'a';"
        " create type c as (x d, y int); create table t(p c, q d[], r e);",
    ),
    Case(
        "stored_range_of_another_subtype",
        "create type r as range (subtype = int); create table t(id int, x r, m r_multirange,"
        " exclude using gist (x with &&));"
        " create function f(v r) returns int language sql as 'select lower(v)';",
        "create type r as range (subtype = bigint); create table t(id int, x r, m r_multirange,"
        " exclude using gist (x with &&));"
        " create function f(v r) returns bigint language sql as 'select lower(v)';",
    ),
    Case(
        "stored_range_with_new_options",
        "create type r as range (subtype = float8); create table t(x r);",
        "create type r as range (subtype = float8, subtype_diff = float8mi); create table t(x r);",
    ),
    # A domain whose checks and default call a function that is dropped and created again
    # (its new signature takes a defaulted argument): they are taken off and put back.
    Case(
        "domain_checks_and_default_calling_a_replaced_function",
        "create function ok(t text) returns bool immutable language sql as 'select true';"
        " create function dflt() returns text language sql as $$select 'x'$$;"
        " create domain d as text default dflt() check (ok(value)); create table t(a d);"
        " create domain e as text check (ok(value));",
        "create function ok(t text, n int default 0) returns bool immutable language sql"
        " as 'select true'; create function dflt(n int default 0) returns text language sql"
        " as $$select 'x'$$; create domain d as text default dflt() check (ok(value));"
        " create table t(a d); create domain e as text not null check (ok(value))"
        " check (length(value) < 10);",
    ),
    Case(
        "publication_member_replaced_and_changed",
        "create table m(id int primary key, b int) partition by range(id);"
        " create publication p for table m with (publish_via_partition_root = true);",
        "create table m(id int primary key, b int) partition by list(id);"
        " create publication p for table m (id) with (publish_via_partition_root = true);",
    ),
    # PostgreSQL cannot retype a column that a publication's row filter reads: the member
    # leaves the publication first and joins again after.
    Case(
        "publication_row_filter_reading_a_retyped_column",
        "create table t(id int primary key, a int, b text);"
        " create publication p for table t (id, a) where (a > 0);"
        " create publication q for table t where (b is not null);",
        "create table t(id int primary key, a bigint, b text);"
        " create publication p for table t (id, a) where (a > 0);"
        " create publication q for table t where (b is not null);",
    ),
    # The type of a kept column lives in a schema that is dropped: the schema goes last.
    Case(
        "schema_dropped_after_the_column_lets_go_of_its_type",
        "create schema s; create table s.p(id int primary key);"
        " create table c(r int references s.p); create type s.e as enum('x');"
        " create table u(v s.e);",
        "create table c(r int); create table u(v text);",
    ),
    # Partitions and heirs with defaults and NOT NULL of their own, while their parents'
    # change (the parents' ALTERs recurse into them).
    Case(
        "own_defaults_of_partitions_and_heirs",
        "create table m(a int default 1 not null, d int) partition by list(d);"
        " create table m1 partition of m (a default 5) for values in (1);"
        " create table m2 partition of m for values in (2);"
        " create table p(a int default 1, b text); create table h() inherits (p);",
        "create table m(a int default 2, d int) partition by list(d);"
        " create table m1 partition of m (a default 5 not null) for values in (1);"
        " create table m2 partition of m for values in (2);"
        " create table p(a int default 1, b text); create table h() inherits (p);"
        " alter table h alter column a set default 7; alter table h alter column b set not null;",
    ),
    # A partition key of an enum that is rebuilt: PostgreSQL cannot retype a key column,
    # so the table is replaced (its DROP says the data is lost).
    Case(
        "partitioned_by_a_rebuilt_enum",
        "create type e as enum('a','b','c'); create table t(x e, y int) partition by list(x);"
        " create table ta partition of t for values in ('a');",
        "create type e as enum('a','c'); create table t(x e, y int) partition by list(x);"
        " create table ta partition of t for values in ('a');",
    ),
    # INHERIT and ATTACH PARTITION need the parent's NOT NULLs and CHECKs on the child
    # first; NO INHERIT and DETACH leave the inherited CHECKs on it as its own.
    Case(
        "children_joining_and_leaving_parents_with_checks",
        "create table p(a int not null, b int, constraint k check (a > 0)); create table c(b int);"
        " create table m(a int, constraint j check (a > 0)) partition by range (a);"
        " create table m1(a int);",
        "create table p(a int not null, b int, constraint k check (a > 0));"
        " create table c() inherits (p);"
        " create table m(a int, constraint j check (a > 0)) partition by range (a);"
        " create table m1 partition of m for values from (1) to (10);",
    ),
    # A CHECK both inherited and declared on the child (LIKE ... INCLUDING ALL does that):
    # no statement drops it there, or makes it inherited only.
    Case(
        "checks_both_inherited_and_declared",
        "create table p(a int not null, b text, constraint k check (a > 0));"
        " create table c() inherits (p);",
        "create table p(a int not null, b text, constraint k check (a > 0));"
        " create table c(a int, constraint k check (a > 0)) inherits (p);"
        " create table d (like p including all) inherits (p);",
    ),
    # ... and the parent's dropped: the children keep theirs, to be dropped or changed after.
    Case(
        "parent_drops_a_check_its_children_also_declare",
        "create table p(a int, constraint k check (a > 0));"
        " create table c(a int, constraint k check (a > 0)) inherits (p);"
        " create table d(a int, constraint k check (a > 0)) inherits (p);",
        "create table p(a int); create table c(a int, constraint k check (a > 5)) inherits (p);"
        " create table d(a int) inherits (p);",
    ),
    # A sequence that stays while the column or table owning it goes (or is replaced):
    # their DROP would take it along, so it lets go first (OWNED BY NONE).
    Case(
        "sequences_outliving_their_owners",
        "create table t(a int, b serial); create table u(id serial);"
        " create table r(id serial, a int);"
        " create table o(id int); create sequence s owned by o.id;"
        " create table d(id int default nextval('s'));",
        "create sequence t_b_seq; create table t(a int); create sequence u_id_seq;"
        " create table r(id serial, a int) partition by list(a);"
        " create table r1 partition of r for values in (1);"
        " create sequence s; create table d(id int default nextval('s'));",
    ),
    # Columns that generated columns read are dropped after them.
    Case(
        "column_dropped_after_the_generated_columns_reading_it",
        "create table t(a int, b int, g int generated always as (b) stored);"
        " create table u(a int, b int, g int generated always as (b) stored);",
        "create table t(a int); create table u(a int, g int generated always as (a) stored);",
    ),
    # A column a child inherits and then declares too: altered, not added; what its
    # parents' ALTERs do to it (they recurse) is said again.
    Case(
        "inherited_columns_declared_by_the_child",
        "create table p(a int, b int not null); create table c() inherits (p);",
        "create table p(a int, b int); create table c(a int default 2, b int not null)"
        " inherits (p);",
    ),  # An identity narrowed to a type its bounds do not fit: the bounds change first.
    Case(
        "identity_narrowed_below_its_bounds",
        "create table t(id bigint generated always as identity (maxvalue 10000000000));",
        "create table t(id int generated always as identity);",
    ),
    # The replica identity's index (or key) rebuilt: REPLICA IDENTITY said again.
    Case(
        "replica_identity_index_rebuilt",
        "create table t(a int not null, b int not null); create unique index i on t(a);"
        " alter table t replica identity using index i;"
        " create table u(a int, b int not null, constraint k primary key (a));"
        " alter table u replica identity using index k;",
        "create table t(a int not null, b int not null); create unique index i on t(a, b);"
        " alter table t replica identity using index i;"
        " create table u(a int, b int not null, constraint k primary key (a, b));"
        " alter table u replica identity using index k;",
    ),
    # A logged table cannot reference an unlogged one: referenced tables turn logged
    # first, referencing ones turn unlogged first.
    Case(
        "tables_turning_logged_in_foreign_key_order",
        "create unlogged table p(id int primary key);"
        " create unlogged table c(p_id int references p);"
        " create unlogged table a_c(p_id int references p);",
        "create table p(id int primary key); create table c(p_id int references p);"
        " create table a_c(p_id int references p);",
    ),
    # PostgreSQL cannot retype a partition key column: the table is replaced.
    Case(
        "partition_key_column_retyped",
        "create table m(a int, b text) partition by list(a);"
        " create table m1 partition of m for values in (1); create index on m(b);"
        " create table n(a int, b text) partition by range ((a + 1));",
        "create table m(a bigint, b text) partition by list(a);"
        " create table m1 partition of m for values in (1); create index on m(b);"
        " create table n(a bigint, b text) partition by range ((a + 1));",
    ),  # DETACH PARTITION leaves the partition its clones of the parent's indexes and keys as
    # its own: dropped, and what the target wants on it created.
    Case(
        "detached_partitions_keep_none_of_the_parents_indexes",
        "create table r(id int primary key);"
        " create table m(a int primary key references r, b int) partition by list(a);"
        " create index on m(b); create table m1 partition of m for values in (1);"
        " create table m2 partition of m for values in (2);",
        "create table r(id int primary key);"
        " create table m(a int primary key references r, b int) partition by list(a);"
        " create index on m(b); create table m1(a int not null, b int);"
        " create table m2(a int primary key, b int);",
    ),  # A table's row type stored in another table (arrays too): its columns cannot be retyped
    # while so, so those values are held as text meanwhile.
    Case(
        "row_type_stored_in_another_table",
        "create table t(a int, b text); create table u(x t, y t[], z int);"
        ' create table "T 2"(a int); create table w("X" "T 2");',
        "create table t(a bigint, b text); create table u(x t, y t[], z int);"
        ' create table "T 2"(a bigint); create table w("X" "T 2");',
    ),
    # Typed tables: no column of theirs changes, nor their type's attributes, while tied.
    Case(
        "typed_tables_follow_their_type",
        "create type c as (a int, b text); create table t of c (a with options default 1);"
        " create table p(a int, b text); create table u(x c);",
        "create type c as (a bigint, b text, z date);"
        " create table t of c (a with options default 1, primary key (b));"
        " create type d as (a int, b text); create table p of d; create table u(x c);",
    ),
    # A collation redefined while columns, a domain, a composite type, keys and views use it:
    # set aside under another name until all of them point at the new one (which resets a
    # column's storage: said again).
    Case(
        "collation_redefined_while_in_use",
        "create collation k (locale = 'C'); create domain d as text collate k;"
        " create type c as (a text collate k); create table t(a text collate k primary key,"
        " b d, x c, y text[] collate k); create table r(a text collate k references t);"
        " alter table t alter column y set storage external;"
        " create table ch() inherits (t); create view v as select a from t;",
        "create collation k (locale = 'POSIX'); create domain d as text collate k;"
        " create type c as (a text collate k); create table t(a text collate k primary key,"
        " b d, x c, y text[] collate k); create table r(a text collate k references t);"
        " alter table t alter column y set storage external;"
        " create table ch() inherits (t); create view v as select a from t;",
    ),
    # A table replaced (here for partitioning) whose rows another table stores.
    Case(
        "table_replaced_while_its_rows_are_stored",
        "create table t(a int); create table u(x t, y t[]);",
        "create table t(a bigint) partition by list (a); create table u(x t, y t[]);",
    ),
    # Columns' storage, compression, statistics and options: each table says its own (a new
    # partition copies its parent's storage and compression; a retype resets them).
    Case(
        "column_settings_per_table",
        "create table p(a varchar(3), b int) partition by list (b);"
        " alter table p alter column a set storage main;"
        " alter table p alter column b set (n_distinct = 5, n_distinct_inherited = 3);"
        " create table p1 partition of p for values in (1);",
        "create table p(a text compression pglz, b int) partition by list (b);"
        " alter table p alter column a set storage external;"
        " alter table p alter column b set statistics 500;"
        " alter table p alter column b set (n_distinct = 7);"
        " create table p1 partition of p for values in (1);"
        " create table p2 partition of p for values in (2);"
        " alter table p2 alter column a set storage main;",
    ),
    # Publication members whose column list or row filter names a column that is retyped
    # or dropped (here also by a partition's parent), and a published schema dropped.
    Case(
        "publication_members_reading_changed_columns",
        "create table t(a int, b int, c int); create table p(a int, c int) partition by list (a);"
        " create table p1 partition of p for values in (1); create schema s;"
        " create publication pub for table t (a, b, c), table p1 where (c > 0);"
        " create publication pub2 for table t where (c > 0), tables in schema s;",
        "create table t(a int, b bigint); create table p(a int) partition by list (a);"
        " create table p1 partition of p for values in (1);"
        " create publication pub for table t (a, b), table p1;"
        " create publication pub2 for table t;",
    ),
    # Types set aside (renamed, dropped after the columns move) whose old copy still uses
    # what the target drops: an enum, a base domain, a subtype_diff function, a domain's
    # CHECK function, a range's subtype. Those are dropped after the old copy.
    Case(
        "types_set_aside_outlive_what_they_were_built_on",
        "create type e as enum ('a'); create domain d as e; create type c as (k e);"
        " create domain b1 as int; create domain d1 as b1;"
        " create function fdiff(a float8, b float8) returns float8 language sql immutable"
        " strict return a - b; create type fr as range (subtype = float8, subtype_diff = fdiff);"
        " create function okv(x int) returns bool language sql immutable return x > 0;"
        " create domain dk as int check (okv(value)); create domain pint as int check (value > 0);"
        " create type ir as range (subtype = pint);"
        " create table t(a d, v c, b d1, r fr, k dk, i ir);",
        "create type e2 as enum ('a'); create domain d as e2; create type c as (k e2);"
        " create domain b2 as int; create domain d1 as b2;"
        " create function fdiff3(x float8, y float8) returns float8 language sql immutable"
        " strict return x - y; create type fr as range (subtype = float8, subtype_diff = fdiff3);"
        " create domain dk as bigint check (value > 0); create type ir as range (subtype = int8);"
        " create table t(a d, v c, b d1, r fr, k dk, i ir);",
    ),
    Case(
        "typed_table_kept_when_its_type_goes",
        "create schema s; create type s.c as (a int); create table t of s.c;",
        "create table t(a int);",
    ),
    # What the definitions leave out: a key's index options (changed in place, or kept when
    # the key is rebuilt or its column retyped), a partition's copies of its parent's
    # indexes with options of their own (kept when those indexes are rebuilt, or the
    # partition moves), CLUSTER ON (kept when its index, or the parent's it copies, is
    # rebuilt).
    Case(
        "index_options_and_cluster_outside_definitions",
        PARTITIONED + "alter table p add primary key (a) with (fillfactor = 60);"
        " create index pb on p(b) where b > 0; alter index p1_pkey set (fillfactor = 50);"
        " create index pa on p(a); alter table p1 cluster on p1_a_idx;"
        " create table t(a int, b int, c int, primary key (a) with (fillfactor = 60),"
        " constraint tb unique (b) include (c) with (fillfactor = 70) deferrable,"
        " constraint tc unique (c) with (fillfactor = 75));"
        " alter table t cluster on tb; create index tc_idx on t(c); create table u(a int);"
        " create index ua on u(a); create index ua2 on u(a desc); alter table u cluster on ua;",
        PARTITIONED.replace("(10)", "(20)") + "alter table p add primary key (a)"
        " with (fillfactor = 70); create index pb on p(b) where b > 1;"
        " alter index p1_pkey set (fillfactor = 50); alter index p1_b_idx set (fillfactor = 40);"
        " create index pa on p(a desc); alter table p1 cluster on p1_a_idx;"
        " create table t(a int, b text, c int, primary key (a, c) with (fillfactor = 60),"
        " constraint tb unique (b) include (c) with (fillfactor = 70) deferrable,"
        " constraint tc unique (c) with (fillfactor = 80));"
        " alter table t cluster on tb; create index tc_idx on t(c); create table u(a int);"
        " create index ua on u(a) include (a); create index ua2 on u(a desc);"
        " alter table u cluster on ua; create table k(a int primary key with (fillfactor = 65));"
        " alter table k cluster on k_pkey;",
    ),
    # A partition clustered on its copy of an index, under a partition that moves: the
    # copy below is dropped with the one above, and made anew, not clustered.
    Case(
        "cluster_on_a_copy_below_a_moved_partition",
        _SUBPARTITIONED_CLUSTERED,
        _SUBPARTITIONED_CLUSTERED.replace("in (1) partition", "in (1, 3) partition"),
    ),
    # A partition's or heir's copy of a column that its parent drops or retypes: what uses
    # the copy (an index, a view) goes first, or the parent's ALTER TABLE, which recurses
    # into the copy, fails.
    Case(
        "what_uses_an_inherited_copy_of_a_changed_column",
        "create table p(a int, b int, c int) partition by list (a);"
        " create table p1 partition of p for values in (1); create index i on p1(b);"
        " create table h(a int, b int); create table h1() inherits (h);"
        " create view v as select b from h1;",
        "create table p(a int, c int) partition by list (a);"
        " create table p1 partition of p for values in (1);"
        " create table h(a int, b bigint); create table h1() inherits (h);"
        " create view v as select b from h1;",
    ),
    # A materialized view's WITH NO DATA: refreshed to the target's state, kept when it
    # is rebuilt (its table's column retyped), and its CLUSTER ON kept with it.
    Case(
        "materialized_views_populated_or_not",
        "create table t(a int); create materialized view mv as select a from t with no data;"
        " create index mv_a on mv(a); alter materialized view mv cluster on mv_a;"
        " create materialized view full_mv as select 1 as x;"
        " create materialized view empty_mv as select 1 as x with no data;",
        "create table t(a bigint); create materialized view mv as select a from t with no data;"
        " create index mv_a on mv(a); alter materialized view mv cluster on mv_a;"
        " create materialized view full_mv as select 1 as x with no data;"
        " create materialized view empty_mv as select 1 as x;"
        " create materialized view new_mv as select 1 as x with no data;",
    ),
    # A domain's default names a function and a sequence through the search_path of the
    # moment it was created: the plan must name their schema.
    Case(
        "domain_default_named_through_the_search_path",
        "create schema s; create sequence s.q;"
        " create function s.f() returns int language sql as 'select 7';",
        "create schema s; create sequence s.q;"
        " create function s.f() returns int language sql as 'select 7';"
        " set search_path = s, public;"
        " create domain public.d as int default f(); create domain public.n as bigint"
        " default nextval('q'); reset search_path; create table t(a d, b n);",
    ),
    # A column an heir declares and inherits: dropped only after its parent's DROP COLUMN
    # (before, PostgreSQL refuses); added by the parent's ADD COLUMN, which reaches it, and
    # then given the heir's own default, NOT NULL, comment and grant.
    Case(
        "columns_declared_by_heirs_come_and_go_with_their_parents",
        "create table t1(id int); create table ch() inherits (t1); create table gc() inherits (ch);"
        " create table a(id int); create table b(x int); create table ab() inherits (a, b);",
        "create table t1(id int, n int default 3); create table ch(n int not null default 4)"
        " inherits (t1); create table gc(n int default 5) inherits (ch);"
        " comment on column ch.n is 'c'; grant select (n) on ch to public;"
        " create table a(id int, n int); create table b(x int, n int);"
        " create table ab(n int default 1) inherits (a, b);",
    ),
    # A foreign table storing a table's row type stores no rows here: the table's column is
    # retyped under it; a table replaced has it hold text for the while, with no USING.
    Case(
        "row_types_stored_by_a_foreign_table",
        "create foreign data wrapper w; create server s foreign data wrapper w;"
        " create table t(a int); create table r(a int);"
        " create foreign table u (x t, y r) server s;",
        "create foreign data wrapper w; create server s foreign data wrapper w;"
        " create table t(a bigint); create table r(a int) partition by range (a);"
        " create foreign table u (x t, y r) server s;",
    ),
    # Rules (CREATE RULE): added, dropped, changed, disabled, commented; one using a table
    # the plan drops (dropped first), one on a view rebuilt, one reading a retyped column.
    Case(
        "rules_on_tables_and_views",
        "create table t(a int, b int); create table log(a int); create table gone(a int);"
        " create rule to_log as on insert to t do also insert into log values (new.a);"
        " create rule to_gone as on update to t do also insert into gone values (new.a);"
        " create rule quiet as on delete to t do instead nothing;"
        " create view v as select a from t;"
        " create rule v_ins as on insert to v do instead insert into t(a) values (new.a);",
        "create table t(a int, b bigint); create table log(a int);"
        " create rule to_log as on insert to t where new.b > 0"
        " do also insert into log values (new.a);"
        " create rule by_b as on update to t do also insert into log values (new.b::int);"
        " comment on rule by_b on t is 'reads b'; alter table t disable rule by_b;"
        " create view v as select a, 1 as one from t;"
        " create rule v_ins as on insert to v do instead insert into t(a) values (new.a);",
    ),
    # Supabase Wrappers' migrations: a wrapper, its server, foreign tables on it.
    Case(
        "foreign_wrapper_server_and_table_created_in_order",
        "",
        FDW_HANDLER + " create foreign data wrapper w handler h options (mode 'x');"
        " comment on foreign data wrapper w is 'wraps';"
        " grant usage on foreign data wrapper w to schemainspect_test_role;"
        " create server s type 'api' version '1' foreign data wrapper w options (key_id 'k');"
        " comment on server s is 'api'; grant usage on foreign server s to public;"
        " create schema stripe; create foreign table stripe.customers"
        " (id text options (column_name 'ID') not null, email text default 'none' check (email <> ''))"
        " server s options (object 'customers');"
        " comment on foreign table stripe.customers is 'c'; comment on column stripe.customers.id is 'i';"
        " grant select on stripe.customers to schemainspect_test_role;"
        " grant update (email) on stripe.customers to public;",
    ),
    Case(
        "foreign_tables_as_partitions_and_heirs_and_tables_made_foreign",
        "create foreign data wrapper w; create server s foreign data wrapper w;"
        " create table p (a int, b text) partition by list (a); create index on p (a);"
        " create foreign table p1 partition of p for values in (1) server s;"
        " create table h (a int); create foreign table fh (b int) server s;"
        " create table t (a int); create foreign table u (a int) server s;",
        "create foreign data wrapper w; create server s foreign data wrapper w;"
        " create table p (a int, b text) partition by list (a); create index on p (a);"
        " create foreign table p1 partition of p for values in (1, 2) server s;"
        " create foreign table p3 partition of p for values in (3) server s options (o 'p');"
        " alter foreign table p3 alter column b options (add c 'b');"
        " create table h (a int); create foreign table fh (b int) inherits (h) server s;"
        " create foreign table t (a int) server s; create table u (a int);",
    ),
    # A stored generated column that only changes type: PostgreSQL refuses USING for it.
    Case(
        "generated_column_retyped_with_the_same_expression",
        "create table t(id int, g numeric generated always as (id * 2) stored);"
        " insert into t(id) values (1);",
        "create table t(id int, g bigint generated always as (id * 2) stored);",
    ),
    # ADD ATTRIBUTE appends: a composite type whose attributes change order is created again,
    # with the types, functions and views built on it, while no column stores it.
    Case(
        "composite_type_reordered_while_not_stored",
        "create type pair as (b text, a int); create type outer_t as (p pair);"
        " create function f(p pair) returns int language sql as 'select 1';"
        " create view v as select null::outer_t as o; comment on type pair is 'p';",
        "create type pair as (a int, b text, c int); create type outer_t as (p pair);"
        " create function f(p pair) returns int language sql as 'select 1';"
        " create view v as select null::outer_t as o; comment on type pair is 'p';",
    ),
    # A parent's ALTER COLUMN ... TYPE recurses into its partitions and heirs, casting their
    # own defaults where it can (not text to numeric): those go first, back after.
    # Stored only by a table, or a column, that the plan drops, the values go: the type is
    # created again all the same.
    Case(
        "composite_type_reordered_while_stored_only_by_what_goes",
        "create type pair as (a bigint, b text); create table t2(x pair);"
        " create table t3(x pair, y int); insert into t3 values (row(1, 'a'), 2);",
        "create type pair as (c numeric, b text); create table t3(y int);",
    ),
    Case(
        "inherited_column_retyped_under_a_default_of_its_own",
        "create table pt(a int not null, b text) partition by range (a);"
        " create table pt1 partition of pt (b default '5') for values from (0) to (10);"
        " create table p(a int, b text); create table c(b text default '5') inherits (p);"
        " create table d() inherits (p); alter table d alter column b set default '6';"
        " insert into pt values (1, '1'); insert into c values (1, '1');",
        "create table pt(a int not null, b numeric) partition by range (a);"
        " create table pt1 partition of pt (b default '5') for values from (0) to (10);"
        " create table p(a int, b numeric); create table c(b numeric default '5') inherits (p);"
        " create table d() inherits (p); alter table d alter column b set default '6';",
    ),
    # `TABLE t` in a publication brings t's inheritance children along: members are added
    # and dropped as `TABLE ONLY t`, so a child can be added apart, or left out.
    Case(
        "publication_members_with_inheritance_children",
        "create table t1(id int); create table ch() inherits (t1); create publication pub;"
        " create publication pub2 for table t1;",
        "create table t1(id int); create table ch() inherits (t1);"
        " create publication pub for table t1; create publication pub2 for table t1;"
        " alter publication pub2 drop table ch; create publication pub3 for table t1;"
        " alter publication pub3 drop table ch;",
    ),
    # PostgreSQL cannot check a domain's new constraint on values held in a composite
    # type's attribute: the domain is rebuilt with the stored composite type.
    Case(
        "domain_gains_a_check_while_stored_in_a_composite_type",
        "create domain pos as integer; create type pair as (d pos, e text);"
        " create table t(x pair, y pair[]);"
        " insert into t values (row(1, 'a'), array[row(2, 'b')::pair]);",
        "create domain pos as integer check (value < 1000); create type pair as (d pos, e text);"
        " create table t(x pair, y pair[]);",
    ),
    # CREATE DOMAIN takes no NOT VALID constraint: it is added after.
    Case(
        "domain_with_a_not_valid_check_is_created",
        "",
        "create domain pos as integer check (value >= 0);"
        " alter domain pos add constraint pos_small check (value < 100000) not valid;"
        " comment on constraint pos_small on domain pos is 'small';",
    ),
    # DROP SCHEMA takes the default privileges in it along: revoking them after fails.
    Case(
        "default_privileges_go_with_their_schema",
        "create schema app; alter default privileges in schema app"
        " grant usage on sequences to schemainspect_test_role;",
        "",
    ),
    # A reordered composite type is created again; a column that leaves it for another
    # type still holds it until its own ALTER TYPE, so the old one is set aside.
    Case(
        "reordered_composite_type_left_by_its_columns",
        "create type pair as (a bigint, b text); create table t(id int, x pair, y pair[]);"
        " insert into t values (1, row(1, 'a'), array[row(2, 'b')::pair]);",
        "create type pair as (b text, c numeric, a integer); create table t(id int, x text, y text);",
    ),
    # A column the plan drops (before the creates) no longer holds its table to the domain
    # it had: the enum under it is dropped before it is created again, not after.
    Case(
        "enum_created_again_once_a_dropped_column_lets_go_of_its_domain",
        "create type mood as enum ('b', 'a'); create domain dmood as mood check (value <> 'a');"
        " create table t(id int, x dmood); insert into t values (1, 'b');",
        "create type mood as enum ('a'); create table t(id int);",
    ),
    # A composite type rebuilt with an attribute of a new domain: ADD ATTRIBUTE on the old
    # type (before the creates) could not name the domain. Columns that keep the type
    # convert by name, one that leaves it in its own ALTER.
    Case(
        "composite_type_rebuilt_with_an_attribute_of_a_new_domain",
        "create type pair as (a integer, b text); create table t(id int, x pair, y pair);"
        " insert into t values (1, row(1, 'a'), row(2, 'b'));",
        "create domain pos as integer default 1 check (value < 1000);"
        " create type pair as (a bigint, b text, d pos); create table t(id int, x pair, y text);",
    ),
    # A domain rebuilt (its new check could not reach values inside a stored composite
    # type) while the composite type goes: renamed aside before the new domain is created,
    # the old one is dropped after the composite type, which goes once its column has left
    # it (after the creates).
    Case(
        "domain_set_aside_outlives_the_composite_type_dropped_on_it",
        "create domain pos as integer check (value > 0);"
        " create type pair as (a integer, b text, d pos);"
        " create table t(id int, n pos, x pair); insert into t values (1, 1, row(1, 'a', 2));",
        "create domain pos as integer check (value >= 0); create table t(id int, n pos, x text);",
    ),
    # A parent's ALTER COLUMN recurses into its heirs one setting at a time: its SET NOT
    # NULL leaves an heir's own default as it was, its SET DEFAULT an heir's own NOT NULL.
    Case(
        "heirs_keep_their_own_default_or_not_null_as_parents_change_the_other",
        "create table t1 (id text, n int); create table ch () inherits (t1);"
        " alter table ch alter column id set default '3'; alter table ch alter column n set not null;",
        "create table t1 (id text not null, n int default 5); create table ch () inherits (t1);"
        " alter table ch alter column n set not null;",
    ),
    # A text search configuration built on a dictionary of its own, used by an index and a
    # generated column: created before them, dropped after.
    Case(
        "text_search_configuration_under_an_index_and_a_generated_column",
        "",
        _TEXT_SEARCH_IN_USE,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hard_case_converges_both_ways(pg: PgServer, case: Case) -> None:
    ensure_roles(pg.admin_url)
    round_trip(pg, case.source, case.target)


def test_an_extensions_comment_is_said_only_when_not_its_own(pg: PgServer) -> None:
    pg.require_extension("citext")
    plain = "create extension citext;"
    assert "COMMENT" not in converge(pg, "", plain).sql()  # its control file's comment
    mine = plain + " comment on extension citext is 'mine';"
    assert "COMMENT ON EXTENSION citext IS 'mine'" in converge(pg, "", mine).sql()
    round_trip(pg, plain, mine)
    none = plain + " comment on extension citext is null;"
    assert "COMMENT ON EXTENSION citext IS NULL" in converge(pg, "", none).sql()
    round_trip(pg, plain, none)


def test_the_index_of_a_key_keeps_its_comment_when_rebuilt(pg: PgServer) -> None:
    source = (
        "create table r(id int constraint rk primary key, u int, constraint uk unique (u));"
        " comment on index uk is 'u'; create table f(x int references r);"
    )
    target = (
        "create table r(id bigint constraint rk primary key, u int, constraint uk unique (u, id));"
        " comment on index uk is 'u'; comment on index rk is 'k';"
        " create table f(x bigint references r);"
    )
    forth, back = round_trip(pg, source, target)
    assert "COMMENT ON INDEX public.rk IS 'k'" in forth.sql()
    assert "COMMENT ON INDEX public.uk IS 'u'" in forth.sql()  # lost with the old index
    assert "COMMENT ON INDEX public.rk IS NULL" in back.sql()


def test_function_used_by_a_default_is_replaced_around_the_default(pg: PgServer) -> None:
    source = (
        "create function next_code() returns int language sql as 'select 1';"
        " create table t (code int default next_code());"
    )
    target = (
        "create function next_code() returns bigint language sql as 'select 2::bigint';"
        " create table t (code int default next_code());"
    )
    plan = converge(pg, source, target).sql()
    assert plan.index("DROP DEFAULT") < plan.index("DROP FUNCTION public.next_code()")
    assert plan.index("CREATE OR REPLACE FUNCTION public.next_code()") < plan.index(
        "SET DEFAULT public.next_code()"
    )


def test_new_enum_labels_are_added_in_place_not_by_rebuilding_columns(pg: PgServer) -> None:
    plan = converge(
        pg,
        "create type s as enum ('a'); create table t (x s);",
        "create type s as enum ('a', 'b'); create table t (x s);",
    )
    assert [stmt.sql for stmt in plan.statements] == ["ALTER TYPE public.s ADD VALUE 'b' AFTER 'a'"]


def test_in_place_alterations_are_preferred_to_rebuilds(pg: PgServer) -> None:
    ensure_roles(pg.admin_url)
    plan = converge(
        pg,
        "create table t (a int, b int default 1); create view v as select a from t;"
        " create view w as select a from v; alter table t enable row level security;"
        " create policy p on t using (a > 0);",
        "create table t (a bigint, b int default 2); create view v as select a, 1 as c from t;"
        " create view w as select a from v; alter table t enable row level security;"
        " create policy p on t to schemainspect_test_role using (a > 1);"
        " comment on table t is 'tee';",
    )
    sql = [stmt.sql for stmt in plan.statements]
    assert "ALTER TABLE public.t ALTER COLUMN a TYPE bigint USING a::bigint" in sql
    assert "ALTER TABLE public.t ALTER COLUMN b SET DEFAULT 2" in sql
    assert "COMMENT ON TABLE public.t IS 'tee'" in sql
    # the retyped column forces views and policies on it to be rebuilt, not altered
    assert any(s.startswith("DROP POLICY p ON public.t") for s in sql)
    assert not any(s.startswith("DROP TABLE") for s in sql)


def test_views_are_replaced_in_place_when_their_columns_only_grow(pg: PgServer) -> None:
    plan = converge(
        pg,
        "create table t (a int, b int); create view v as select a from t;"
        " create view w as select a from v;",
        "create table t (a int, b int); create view v as select a, b from t;"
        " create view w as select a from v;",
    )
    assert [stmt.sql.split(" AS")[0] for stmt in plan.statements] == [
        "CREATE OR REPLACE VIEW public.v"
    ]


def test_every_statement_that_loses_data_says_so(pg: PgServer) -> None:
    plan = converge(
        pg,
        "create table gone (a int); create table t (a int, b int); create sequence s;",
        "create table t (a int);",
    )
    losing = {
        stmt.sql: {hazard.kind for hazard in stmt.hazards}
        for stmt in plan.statements
        if stmt.sql.startswith(("DROP TABLE", "DROP SEQUENCE")) or "DROP COLUMN" in stmt.sql
    }
    assert set(losing) == {
        "DROP TABLE public.gone",
        "DROP SEQUENCE public.s",
        "ALTER TABLE public.t DROP COLUMN b",
    }
    assert all("deletes_data" in kinds for kinds in losing.values())


def test_new_objects_start_from_the_default_privileges_of_the_source(pg: PgServer) -> None:
    ensure_roles(pg.admin_url)
    defaults = (
        "alter default privileges in schema public grant select, insert on tables"
        " to schemainspect_test_role;"
    )
    forth, _ = round_trip(
        pg,
        defaults,
        defaults + " create table granted (a int); create table revoked (a int);"
        " revoke insert on revoked from schemainspect_test_role;",
    )
    sql = [stmt.sql for stmt in forth.statements]
    assert not [s for s in sql if s.startswith("GRANT")]
    assert "REVOKE INSERT ON TABLE public.revoked FROM schemainspect_test_role" in sql


def test_default_privileges_change_after_the_objects_are_created(pg: PgServer) -> None:
    ensure_roles(pg.admin_url)
    round_trip(
        pg,
        "alter default privileges in schema public grant select on tables"
        " to schemainspect_test_role; create table kept (a int);",
        "create table kept (a int); create table fresh (a int);",
    )


def test_each_hazard_kind_marks_the_statements_it_is_about(pg: PgServer) -> None:
    ensure_roles(pg.admin_url)
    plan = converge(
        pg,
        "create table t (a int, b text); create function helper() returns int"
        " language plpgsql as $$begin return 1; end$$;",
        "create table t (a bigint, b text); create index t_b on t (b);"
        " alter table t enable row level security; create policy p on t using (true);"
        " grant select on t to schemainspect_test_role;",
    )
    kinds: dict[str, set[str]] = {}
    for stmt in plan.statements:
        for hazard in stmt.hazards:
            kinds.setdefault(hazard.kind, set()).add(stmt.sql.split(" (")[0].split(" USING")[0])
    assert kinds["rewrites_table"] == {"ALTER TABLE public.t ALTER COLUMN a TYPE bigint"}
    assert "ALTER TABLE public.t ALTER COLUMN a TYPE bigint" in kinds["access_exclusive_lock"]
    assert kinds["blocks_writes"] == {"CREATE INDEX t_b ON public.t"}
    assert kinds["untracked_dependency"] == {"DROP FUNCTION public.helper()"}
    assert kinds["authz_change"] == {
        "ALTER TABLE public.t ENABLE ROW LEVEL SECURITY",
        "CREATE POLICY p ON public.t AS PERMISSIVE FOR ALL TO PUBLIC",
        "GRANT SELECT ON TABLE public.t TO schemainspect_test_role",
    }
    assert "deletes_data" not in kinds


def test_new_enum_labels_are_committed_before_the_statements_that_use_them(
    pg: PgServer,
) -> None:
    plan = converge(
        pg,
        "create type e as enum ('a'); create table t (x e default 'a');",
        "create type e as enum ('a', 'b'); create table t (x e default 'b');"
        " create view v as select x from t where x = 'b';",
    )
    assert [stmt.sql for stmt in plan.first_transaction] == [
        "ALTER TYPE public.e ADD VALUE 'b' AFTER 'a'"
    ]
    script = plan.sql()
    assert script.index("ADD VALUE") < script.index("-- pgalign: commit the statements above")
    assert script.index("-- pgalign: commit") < script.index("SET DEFAULT 'b'::public.e")


def test_a_narrowed_sequence_restarts_only_when_its_value_is_outside(pg: PgServer) -> None:
    plan, after = converge_and_query(
        pg,
        "create sequence inside; select setval('inside', 500);"
        " create sequence outside; select setval('outside', 3);"
        " create table t(id int generated always as identity, k int);"
        " insert into t(k) select generate_series(1, 3);",
        "create sequence inside maxvalue 1000;"
        " create sequence outside minvalue 10 start 20;"
        " create table t(id int generated always as identity (minvalue 5 start 6), k int);",
        "select nextval('inside'), nextval('outside'), nextval(pg_get_serial_sequence('t', 'id'))",
    )
    assert {h.kind for stmt in plan.statements for h in stmt.hazards} >= {"deletes_data"}
    assert after == (501, 20, 6)


def test_identity_options_are_compared_and_altered_in_place(pg: PgServer) -> None:
    plan = converge(
        pg,
        "create table t (id int generated always as identity, k int);",
        "create table t (id int generated always as identity (start with 100 cache 20), k int);",
    )
    assert [stmt.sql for stmt in plan.statements] == [
        "ALTER TABLE public.t ALTER COLUMN id SET START WITH 100 SET CACHE 20"
    ]


def test_a_stored_composite_type_is_rebuilt_with_its_values(pg: PgServer) -> None:
    _, row = converge_and_query(
        pg,
        "create type c as (a int, b text, gone int);"
        " create table t(x c, y c[] default array[row(1, 'q', 0)::c]);"
        " insert into t values (row(7, 'seven', 70), array[row(8, 'eight', 80)::c]);",
        "create type c as (a bigint, b text, z int);"
        " create table t(x c, y c[] default array[row(1, 'q', 0)::c]);",
        "select x::text, y::text from t",
    )
    assert row == ("(7,seven,)", '{"(8,eight,)"}')


def test_values_survive_the_rebuild_of_the_types_they_are_stored_as(pg: PgServer) -> None:
    plan, row = converge_and_query(
        pg,
        "create type e as enum('a','b','c'); create domain d as e;"
        " create type r as range (subtype = int);"
        " create table t(x d, y d[], z r, m r_multirange);"
        " insert into t values ('c', '{a,c}', '[1,5)', '{[1,2),[3,4)}');",
        "create type e as enum('c','a'); create domain d as e;"
        " create type r as range (subtype = bigint);"
        " create table t(x d, y d[], z r, m r_multirange);",
        "select x::text, y::text, z::text, m::text from t",
    )
    assert row == ("c", "{a,c}", "[1,5)", "{[1,2),[3,4)}")
    assert not any(stmt.sql.startswith("DROP TABLE") for stmt in plan.statements)


def test_a_sequence_lets_go_of_its_dropped_owner_once_before_the_drop(pg: PgServer) -> None:
    plan = converge(
        pg, "create table t(a int, b serial);", "create sequence t_b_seq; create table t(a int);"
    )
    sqls = [stmt.sql for stmt in plan.statements]
    let_go = [i for i, sql in enumerate(sqls) if sql.endswith("OWNED BY NONE")]
    assert len(let_go) == 1
    assert let_go[0] < sqls.index("ALTER TABLE public.t DROP COLUMN b")


@pytest.mark.parametrize(
    "table",
    [
        pytest.param("t(a bigint, b text)", id="retyped"),
        pytest.param("t(a bigint, b text) partition by list (a)", id="replaced"),
    ],
)
def test_rows_stored_in_another_table_survive_changes_to_their_table(
    pg: PgServer, table: str
) -> None:
    source = "create table t(a int, b text); create table u(x t, y t[]);"
    source += " insert into u values ((1, 'one'), array[(2, 'two')::t]);"
    target = f"create table {table}; create table u(x t, y t[]);"
    _, row = converge_and_query(pg, source, target, "select (x).a, (x).b, (y[1]).b from u")
    assert row == (1, "one", "two")


def test_a_table_replaced_for_its_partition_key_says_its_data_is_lost(pg: PgServer) -> None:
    plan = converge(
        pg,
        "create type e as enum('a','b'); create table t(x e) partition by list(x);",
        "create type e as enum('a'); create table t(x e) partition by list(x);",
    )
    dropped = [stmt for stmt in plan.statements if stmt.sql == "DROP TABLE public.t"]
    assert [h.kind for h in dropped[0].hazards] == ["deletes_data"]


def test_a_typed_table_is_created_tied_to_its_type(pg: PgServer) -> None:
    _, row = converge_and_query(
        pg,
        "",
        "create type c as (a int, b text); create table t of c (b with options not null);",
        "select reloftype::regtype::text from pg_class where relname = 't'",
    )
    assert row == ("c",)


def test_not_null_not_valid_and_no_inherit_on_18(pg: PgServer) -> None:
    """PostgreSQL 18's NOT NULL constraints: a NOT VALID one checks no row (here a null
    stays), NO INHERIT keeps it off the children."""
    if pg.version_num < 180000:
        pytest.skip("NOT NULL ... NOT VALID and NO INHERIT arrived in PostgreSQL 18")
    forth, back = round_trip(
        pg,
        "create table t(a int, b int not null, c int); insert into t values (null, 1, 3);"
        " create table p(x int not null no inherit); create table ch() inherits (p);",
        "create table t(a int, b int, c int not null no inherit);"
        " alter table t add not null a not valid; alter table t add not null b not valid;"
        " create table p(x int not null); create table ch() inherits (p);"
        " create table n(y int); alter table n add not null y no inherit not valid;",
    )
    assert "ALTER TABLE public.t ADD NOT NULL a NOT VALID" in forth.sql()
    assert "ALTER TABLE public.t ALTER COLUMN b SET NOT NULL" in back.sql()


_PARTITIONED_TRIGGER = (
    "create function f() returns trigger language plpgsql as 'begin return new; end';"
    " create table p(a int, b int) partition by list (a); create table p2 partition of p"
    " for values in (2); create table p1 partition of p for values in (1) partition by list (b);"
    " create table p11 partition of p1 for values in (1);"
    " create trigger tr before insert on p for each row execute function f();"
)
_TRIGGER_STATES = (
    "select string_agg(tgrelid::regclass::text || ' ' || tgenabled::text, ', '"
    " order by tgrelid::regclass::text) from pg_trigger where tgname = 'tr'"
)


@pytest.mark.parametrize("forth", [True, False], ids=["forth", "back"])
def test_trigger_copies_on_partitions_keep_their_own_enabled_state(
    pg: PgServer, forth: bool
) -> None:
    """The table's DISABLE TRIGGER recurses, a new partition copies its parent's state."""
    disabled = _PARTITIONED_TRIGGER + (
        " alter table p disable trigger tr; alter table only p1 enable trigger tr;"
    )
    mixed = _PARTITIONED_TRIGGER + (
        " create table p12 partition of p1 for values in (2);"
        " alter table only p1 disable trigger tr; alter table only p11 enable always trigger tr;"
    )
    source, target = (disabled, mixed) if forth else (mixed, disabled)
    reads_as_target(pg, source, target, _TRIGGER_STATES)


# The comments (and options) of the copies of p's index, trigger and constraints on its
# partitions.
_COPIES = (
    "select string_agg(concat_ws(' ', kind, name, note), ', ' order by kind, name) from ("
    " select 'index' as kind, c.relname::text as name,"
    " concat_ws(' ', obj_description(c.oid, 'pg_class'), c.reloptions::text) as note"
    " from pg_class c where c.relispartition and c.relkind in ('i', 'I')"
    " union all select 'trigger', tgrelid::regclass::text, obj_description(oid, 'pg_trigger')"
    " from pg_trigger where tgparentid <> 0 and not tgisinternal"
    " union all select 'constraint', conrelid::regclass::text || ' ' || conname,"
    " obj_description(oid, 'pg_constraint') from pg_constraint"
    " where conparentid <> 0 or contype = 'c' and coninhcount > 0) s"
)
_COPIED = _PARTITIONED_TRIGGER + (
    "create index pb on p(b); alter table p add primary key (a, b);"
    " create table r(a int primary key); alter table p add foreign key (a) references r;"
    " alter table p add check (b > 0);"
)
_COMMENTED = (
    " comment on index p1_b_idx is 'i1'; comment on index p11_b_idx is 'i11';"
    " comment on index p11_pkey is 'k11'; comment on trigger tr on p1 is 't1';"
    " comment on trigger tr on p11 is 't11'; alter index p11_b_idx set (fillfactor = 50);"
    " comment on constraint p11_pkey on p11 is 'ck11'; comment on constraint p1_pkey on p1"
    " is 'ck1'; comment on constraint p_a_fkey on p11 is 'f11';"
    " comment on constraint p_b_check on p1 is 'c1';"
)
_COMMENTED_COPIES = {
    "commented": (
        _COPIED,
        _COPIED + _COMMENTED + " comment on index p2_b_idx is 'i2';"
        " comment on trigger tr on p2 is 't2'; comment on constraint p_a_fkey on p2 is 'f2';",
    ),
    # p1 detached and attached again: its copies and those of its own partition are new
    "partition_moved": (
        _COPIED + _COMMENTED,
        _COPIED.replace("in (1) partition", "in (1, 3) partition") + _COMMENTED,
    ),
    # p's index, trigger and constraints made again, and a new partition: every copy of
    # them is new
    "parents_made_again": (
        _COPIED + _COMMENTED,
        _COPIED.replace("on p(b)", "on p(b) where b > 0")
        .replace("before insert", "after insert")
        .replace("references r", "references r on delete cascade")
        .replace("(b > 0)", "(b > 1)")
        .replace("key (a, b)", "key (b, a)")
        + _COMMENTED
        + " create table p3 partition of p for values in (3);"
        " comment on index p3_b_idx is 'i3'; comment on trigger tr on p3 is 't3';",
    ),
}


@pytest.mark.parametrize("forth", [True, False], ids=["forth", "back"])
@pytest.mark.parametrize("pair", list(_COMMENTED_COPIES))
def test_comments_on_partitions_copies_of_indexes_triggers_and_keys(
    pg: PgServer, pair: str, forth: bool
) -> None:
    source, target = _COMMENTED_COPIES[pair] if forth else _COMMENTED_COPIES[pair][::-1]
    reads_as_target(pg, source, target, _COPIES)


def test_column_settings_are_diffed_per_table(pg: PgServer) -> None:
    _, row = converge_and_query(
        pg,
        "create table q(a varchar(3), b int); alter table q alter column a set storage main;"
        " create table q1() inherits (q);",
        "create table q(a text compression pglz, b int);"
        " alter table q alter column b set statistics 500;"
        " alter table q alter column b set (n_distinct = 7);"
        " create table q1() inherits (q); alter table q1 alter column a set storage external;",
        "select string_agg(concat_ws(' ', attrelid::regclass, attname, attstorage,"
        " nullif(attcompression::text, ''), nullif(attstattarget, -1), attoptions), ', '"
        " order by attrelid, attnum)"
        " from pg_attribute where attrelid in ('q'::regclass, 'q1'::regclass) and attnum > 0",
    )
    assert row == ("q a x p, q b p 500 {n_distinct=7}, q1 a e p, q1 b p",)


def test_a_partitioned_tables_index_is_made_on_its_partitions(pg: PgServer) -> None:
    _, row = converge_and_query(
        pg,
        PARTITIONED,
        PARTITIONED + "create index pb on p(b);",
        "select i.indisvalid, (select count(*) from pg_inherits where inhparent = i.indexrelid)"
        " from pg_index i where i.indexrelid = 'pb'::regclass",
    )
    assert row == (True, 1)


def test_index_options_cluster_and_populated_state_are_diffed(pg: PgServer) -> None:
    common = PARTITIONED + "create index pb on p(b); create index ua on u(a);"
    plan = converge(
        pg,
        "create table u(a int primary key with (fillfactor = 60));"
        " create materialized view mv as select 1 as x;"
        " create materialized view mv2 as select 1 as x with no data;" + common,
        "create table u(a int primary key with (fillfactor = 70));"
        " create materialized view mv as select 1 as x with no data;"
        " create materialized view mv2 as select 1 as x;"
        + common
        + "alter index p1_b_idx set (fillfactor = 40); alter table u cluster on ua;",
    )
    statements = {stmt.sql: [hazard.kind for hazard in stmt.hazards] for stmt in plan.statements}
    assert statements == {
        "ALTER INDEX public.u_pkey SET (fillfactor=70)": [],
        "ALTER INDEX public.p1_b_idx SET (fillfactor=40)": [],
        "ALTER TABLE public.u CLUSTER ON ua": [],
        "REFRESH MATERIALIZED VIEW public.mv WITH NO DATA": [
            "deletes_data",
            "access_exclusive_lock",
        ],
        "REFRESH MATERIALIZED VIEW public.mv2": ["access_exclusive_lock"],
    }


GENERATED = (
    "create table d(a int, b text, fts tsvector generated always as ({fts}) stored,"
    " x int generated always as ({x}) stored);"
    " create index d_fts on d using gin(fts); create view dv as select x, fts from d;"
    " comment on column d.x is 'kept'; insert into d(a, b) values (2, 'hello world');"
    " create table p(a int, x int generated always as ({x}) stored) partition by range (a);"
    " create table p1 partition of p for values from (0) to (10); insert into p(a) values (2);"
)


def test_a_generated_expression_is_set_in_place_from_17(pg: PgServer) -> None:
    """From PostgreSQL 17, SET EXPRESSION keeps the column and what is built on it; before,
    the column is dropped and added again with them. Either way the values are new."""
    plan, row = converge_and_query(
        pg,
        GENERATED.format(fts="to_tsvector('simple', b)", x="a * 2"),
        GENERATED.format(fts="to_tsvector('english', b)", x="a * 3"),
        "select d.x, d.fts::text, p.x from d, p",
    )
    assert row == (6, "'hello':1 'world':2", 6)
    drops = [stmt.sql for stmt in plan.statements if stmt.sql.startswith("DROP")]
    if pg.version_num >= 170000:
        assert drops == []
        assert {stmt.sql for stmt in plan.statements if "SET EXPRESSION" in stmt.sql} == {
            "ALTER TABLE public.d ALTER COLUMN fts SET EXPRESSION AS "
            "(to_tsvector('english'::regconfig, b))",
            "ALTER TABLE public.d ALTER COLUMN x SET EXPRESSION AS ((a * 3))",
            "ALTER TABLE public.p ALTER COLUMN x SET EXPRESSION AS ((a * 3))",
        }
    else:
        assert "DROP VIEW public.dv" in drops


@dataclass(frozen=True)
class QueriedCase:
    """A Case that `query` also reads in the database itself, for what pgalign reading it
    back could miss: after the plan, it must read there what it reads in the target."""

    name: str
    source: str
    target: str
    query: str


_ROLE = "schemainspect_test_role"
_RANGES = "create type r as range (subtype = float8); create type r3 as range (subtype = int4);"
_VIEWS_OF_T = (
    "create table t(a int, b int, c int); create function f() returns int"
    " language sql as 'select 1';"
)
QUERIED_CASES = [
    # Comments on multirange types, said when the range is created (again, for another
    # multirange name), rebuilt with its stored values, or only commented.
    QueriedCase(
        "multirange_types_comments",
        _RANGES + "comment on type r_multirange is 'a'; create table t(x r3);"
        " create type r2 as range (subtype = int4, multirange_type_name = m2);"
        " comment on type r3_multirange is 'c';",
        _RANGES.replace("int4", "int8") + "comment on type r_multirange is 'b';"
        " create table t(x r3); comment on type r3_multirange is 'c';"
        " create type r2 as range (subtype = int4, multirange_type_name = m3);"
        " comment on type m3 is 'm';"
        " create type r4 as range (subtype = text, multirange_type_name = m4);"
        " comment on type m4 is 'new';",
        "select string_agg(typname || ' ' || coalesce(obj_description(oid, 'pg_type'), '-'),"
        " ', ' order by typname) from pg_type"
        " where typtype = 'm' and typnamespace = 'public'::regnamespace",
    ),
    # Column grants on views: changed in place (v; its REVOKE takes a column's too), kept by
    # CREATE OR REPLACE (g), said again when the view is rebuilt (w, mv: c is retyped).
    QueriedCase(
        "column_grants_on_views",
        _VIEWS_OF_T + "create view v as select a, b from t;"
        f" grant select on v to {_ROLE}; grant select (a), update (b) on v to {_ROLE};"
        f" create view w as select a, c from t; grant select (c) on w to {_ROLE};"
        f" create materialized view mv as select a, c from t; grant select (a) on mv to {_ROLE};"
        f" create view g as select a from t; grant insert (a) on g to {_ROLE};",
        _VIEWS_OF_T.replace("c int", "c bigint") + "create view v as select a, b from t;"
        f" grant select (a), insert (b) on v to {_ROLE} with grant option;"
        f" create view w as select a, c from t; grant select (c) on w to {_ROLE};"
        f" create materialized view mv as select a, c from t; grant select (a, c) on mv to {_ROLE};"
        f" create view g as select a, b from t; grant insert (a), select (b) on g to {_ROLE};"
        f" create view n as select b from t; grant select (b) on n to {_ROLE};",
        "select string_agg(attrelid::regclass || '.' || attname || ' ' || attacl::text, ', '"
        " order by attrelid::regclass::text, attnum) from pg_attribute a"
        " join pg_class c on c.oid = a.attrelid where c.relkind in ('v', 'm') and a.attnum > 0"
        " and c.relnamespace = 'public'::regnamespace and a.attacl is not null",
    ),
    # Defaults of view columns: set and dropped in place (v), kept by CREATE OR REPLACE (g),
    # set again when the view is rebuilt (w: c is retyped; d: the function its default
    # calls is dropped and created again).
    QueriedCase(
        "defaults_of_view_columns",
        _VIEWS_OF_T + "create view v as select a, b, a + 1 as e from t;"
        " alter view v alter column a set default 1; alter view v alter column e set default 3;"
        " create view w as select a, c from t; alter view w alter column a set default 5;"
        " create view g as select a from t; alter view g alter column a set default 7;"
        " create view d as select a from t; alter view d alter column a set default f();",
        _VIEWS_OF_T.replace("c int", "c bigint").replace("f()", "f(x int default 0)")
        + "create view v as select a, b, a + 1 as e from t;"
        " alter view v alter column a set default 2; alter view v alter column b set default 4;"
        " create view w as select a, c from t; alter view w alter column a set default 5;"
        " create view g as select a, b from t; alter view g alter column a set default 7;"
        " alter view g alter column b set default 8;"
        " create view d as select a from t; alter view d alter column a set default f();"
        " create view n as select b from t; alter view n alter column b set default f(1);",
        "select string_agg(adrelid::regclass || '.' || attname || ' ' || pg_get_expr(adbin, 0),"
        " ', ' order by adrelid::regclass::text, adnum) from pg_attrdef d"
        " join pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum"
        " join pg_class c on c.oid = d.adrelid where c.relkind = 'v'",
    ),
    # A composite type whose attributes change order while columns keep it: the old type
    # is set aside and each value rebuilt attribute by attribute, by name (through text,
    # values would land in the wrong attributes); a NULL stays NULL, a row of NULLs a row.
    QueriedCase(
        "reordered_composite_type_kept_by_columns_moves_values_by_name",
        "create type pair as (c numeric, a integer, b text); create table t(id int, x pair);"
        " create table u(y pair default row(1, 2, 'u')); create view v as select (x).a from t;"
        " insert into t values (1, row(1.5, 2, 'x')), (2, null), (3, row(null, null, null));"
        " insert into u values (row(3, 4, 'y'));",
        "create type pair as (b text, a bigint, c numeric); create table t(id int, x pair);"
        " create table u(y pair default row('u', 2, 1)); create view v as select (x).a from t;"
        " insert into t values (1, row('x', 2, 1.5)), (2, null), (3, row(null, null, null));"
        " insert into u values (row('y', 4, 3));",
        "select (select string_agg(format('%s %s %s %s', id, x is null, num_nulls(x), x),"
        " ', ' order by id) from t) || ' | ' || (select string_agg(y::text, ', ') from u)",
    ),
]


@pytest.mark.parametrize("forth", [True, False], ids=["forth", "back"])
@pytest.mark.parametrize("case", QUERIED_CASES, ids=[case.name for case in QUERIED_CASES])
def test_queried_case_reads_as_its_target(pg: PgServer, case: QueriedCase, forth: bool) -> None:
    ensure_roles(pg.admin_url)
    source, target = (case.source, case.target) if forth else (case.target, case.source)
    reads_as_target(pg, source, target, case.query)


def test_a_dropped_server_loses_its_user_mappings_whose_secrets_are_never_read(
    pg: PgServer,
) -> None:
    server = "create foreign data wrapper w; create server s foreign data wrapper w;"
    mapped = (
        server + " create user mapping for public server s options (password 'secret-pw');"
        " create user mapping for current_user server s options (user 'u');"
        " create foreign table ft (a int) server s;"
    )
    forth, back = round_trip(pg, mapped, "")
    plan = forth.sql()
    assert "secret-pw" not in plan and "'u'" not in plan
    assert plan.index("DROP FOREIGN TABLE public.ft") < plan.index("DROP USER MAPPING FOR")
    assert plan.index("DROP USER MAPPING FOR PUBLIC SERVER s") < plan.index("DROP SERVER s")
    assert "deletes_data" in plan  # the credentials cannot be made again
    assert "USER MAPPING" not in back.sql()  # never created: pgalign has no secrets
    # a server created again (its wrapper changes) loses them too, and says so
    moved = "create foreign data wrapper w2; create server s foreign data wrapper w2;"
    replaced = converge(pg, mapped, "create foreign data wrapper w;" + moved[:-1]).sql()
    assert "DROP USER MAPPING FOR PUBLIC SERVER s" in replaced
    assert "CREATE SERVER s FOREIGN DATA WRAPPER w2" in replaced


FOREIGN_ALTERED = (
    FDW_HANDLER + " create foreign data wrapper v handler h options (mode 'x', old 'y');"
    " create server sv version '1' foreign data wrapper v options (key_id 'k');"
    " create foreign data wrapper w; create server s foreign data wrapper w;"
    " create foreign table ft (id int options (column_name 'ID', gone 'g'), n text)"
    " server s options (object 'customers', gone 'g');",
    # (the validator checks the server's new options: the wrapper changes first)
    FDW_HANDLER + " create foreign data wrapper v validator postgresql_fdw_validator;"
    " create server sv foreign data wrapper v options (host 'h', dbname 'd');"
    " create foreign data wrapper w; create server s version '2' foreign data wrapper w;"
    " create foreign table ft (id bigint options (column_name 'Id', added 'a'), m int,"
    " n text options (more 'm')) server s options (object 'charges', added 'a');",
)
FOREIGN_MOVED = (
    "create foreign data wrapper w; create foreign data wrapper w2;"
    " create server s foreign data wrapper w; create server s2 foreign data wrapper w;"
    " create foreign table a (x int) server s; create foreign table b (x int) server s2;"
    " create view v as select a.x from a join b using (x);",
    "create foreign data wrapper w; create foreign data wrapper w2;"
    " create server s foreign data wrapper w2; create server s2 type 't' foreign data wrapper w;"
    " create foreign table a (x int) server s2; create foreign table b (x int) server s2;"
    " create view v as select a.x from a join b using (x);",
)


def test_foreign_objects_alter_in_place_unless_their_server_or_wrapper_changes(
    pg: PgServer,
) -> None:
    forth, back = round_trip(pg, *FOREIGN_ALTERED)
    assert (
        "ALTER FOREIGN DATA WRAPPER v NO HANDLER VALIDATOR postgresql_fdw_validator"
        " OPTIONS (DROP mode, DROP old)" in forth.sql()
    )
    assert (
        "ALTER SERVER sv VERSION NULL OPTIONS (DROP key_id, ADD dbname 'd', ADD host 'h')"
        in forth.sql()
    )
    assert "ALTER SERVER s VERSION '2';" in forth.sql()
    assert "ALTER SERVER s VERSION NULL;" in back.sql()
    assert (
        "ALTER FOREIGN TABLE public.ft OPTIONS (DROP gone, SET object 'charges', ADD added 'a')"
        in forth.sql()
    )
    assert (
        "ALTER FOREIGN TABLE public.ft ALTER COLUMN id"
        " OPTIONS (DROP gone, SET column_name 'Id', ADD added 'a')" in forth.sql()
    )
    assert "ALTER TABLE public.ft ALTER COLUMN id TYPE bigint;" in forth.sql()  # no USING
    assert "DROP FOREIGN TABLE" not in forth.sql() + back.sql()
    forth, back = round_trip(pg, *FOREIGN_MOVED)
    for plan in (forth.sql(), back.sql()):
        assert plan.index("DROP VIEW public.v") < plan.index("DROP FOREIGN TABLE public.a")
        assert plan.index("CREATE FOREIGN TABLE public.a") < plan.index("CREATE VIEW public.v")
    assert "DROP FOREIGN TABLE public.b" in forth.sql()  # its server s2 is made again
    assert "DROP SERVER s;" in forth.sql()  # its wrapper changes


# Each statistics object: what it is made of (its columns by name: their order in the table
# is not its own), its target and its comment.
_STATISTICS = (
    "select string_agg(concat_ws(' ', stxnamespace::regnamespace, stxname, stxrelid::regclass,"
    " stxkind, (select string_agg(attname, ',' order by attname) from pg_attribute"
    " where attrelid = stxrelid and attnum = any(stxkeys)),"
    " pg_get_statisticsobjdef_expressions(oid), nullif(stxstattarget, -1),"
    " obj_description(oid, 'pg_statistic_ext')), '; ' order by stxname)"
    " from pg_statistic_ext"
)
_EXTENDED_STATISTICS = {
    "changed": (
        "create schema s; create table t(a int, b int, c int);"
        " create statistics st (dependencies) on a, b from t;"
        " alter statistics st set statistics 70;"
        " create statistics s.se on (a + b), c from t; comment on statistics s.se is 'e';"
        " create statistics gone on a, c from t;"
        " create materialized view mv as select a, b from t;"
        " create statistics sm on a, b from mv;",
        "create schema s; create table t(a int, b int, c int);"
        " create statistics st (dependencies, mcv) on a, b from t;"
        " comment on statistics st is 't';"
        " create statistics s.se on (a + b), c from t; alter statistics s.se set statistics 30;"
        " create statistics s.more on (a * 2) from t;"
        " create materialized view mv as select a, b from t;"
        " create statistics sm on b, a from mv;",
    ),
    # The same statistics, through changes to what they are on: a column retyped (PostgreSQL's
    # own rebuild would lose the target), dropped (by the partition's parent, too), or
    # dropped and added under another name; a table and a materialized view rebuilt.
    "around_their_tables": (
        "create table t(a int, b int, c int, d int);"
        " create statistics keep on a, b from t; alter statistics keep set statistics 70;"
        " comment on statistics keep is 'k'; create statistics byc on b, c from t;"
        " create statistics byd on (b + d), a from t;"
        " create table r(a int, b int); create statistics sr on a, b from r;"
        " alter statistics sr set statistics 20;"
        " create table p(a int, b int, c int) partition by list (a);"
        " create table p1 partition of p for values in (1);"
        " create statistics s1 on b, c from p1;"
        " create materialized view mv as select a, b from t;"
        " create statistics sm on a, b from mv; alter statistics sm set statistics 5;",
        "create table t(a bigint, b int, dd int);"
        " create statistics keep on a, b from t; alter statistics keep set statistics 70;"
        " comment on statistics keep is 'k'; create statistics byd on (b + dd), a from t;"
        " create table r(a int, b int) partition by list (a);"
        " create statistics sr on a, b from r; alter statistics sr set statistics 20;"
        " create table p(a int, b int) partition by list (a);"
        " create table p1 partition of p for values in (1);"
        " create statistics s1 on a, b from p1;"
        " create materialized view mv as select a, b from t;"
        " create statistics sm on a, b from mv; alter statistics sm set statistics 5;",
    ),
}


@pytest.mark.parametrize("forth", [True, False], ids=["forth", "back"])
@pytest.mark.parametrize("pair", list(_EXTENDED_STATISTICS))
def test_extended_statistics_are_diffed(pg: PgServer, pair: str, forth: bool) -> None:
    source, target = _EXTENDED_STATISTICS[pair] if forth else _EXTENDED_STATISTICS[pair][::-1]
    reads_as_target(pg, source, target, _STATISTICS)


def test_a_statistics_objects_owner_is_compared_when_asked(pg: PgServer) -> None:
    ensure_roles(pg.admin_url)
    base = "create table t(a int, b int); create statistics s on a, b from t;"
    changed = base + " alter statistics s owner to schemainspect_test_role;"
    with databases(pg) as dbs:
        source = inspect(dbs.create(base))
        target = inspect(dbs.create(changed + " comment on statistics s is 'x';"))
    owned = 'ALTER STATISTICS public.s OWNER TO "schemainspect_test_role"'
    assert owned in [stmt.sql for stmt in diff(source, target, compare_owners=True).statements]
    assert owned not in [stmt.sql for stmt in diff(source, target).statements]


def test_owners_alone_differing_are_altered_when_asked(pg: PgServer) -> None:
    """An owner does not count in an object's equality: compared only with --owners, where
    a difference in it alone must still give its ALTER ... OWNER TO."""
    ensure_roles(pg.admin_url)
    base = (
        "create schema s; create table s.t(a int); create view s.v as select a from s.t;"
        " create function s.f() returns int language sql as 'select 1';"
        " create type s.e as enum ('x'); create sequence s.q;"
        " create function s.neg(int) returns int language sql as 'select -$1';"
        " create operator s.~~ (rightarg = int, function = s.neg);"
    )
    role = "schemainspect_test_role"
    owned = base + "".join(
        f" alter {kind} s.{name} owner to {role};"
        for kind, name in (("table", "t"), ("view", "v"), ("function", "f()"), ("type", "e"))
    )
    owned += f" alter sequence s.q owner to {role}; alter schema s owner to {role};"
    owned += f" alter operator s.~~ (none, int) owner to {role};"
    with databases(pg) as dbs:
        walker = dbs.create(base)
        target = inspect(dbs.create(owned))
        plan = diff(inspect(walker), target, compare_owners=True)
        assert len([stmt for stmt in plan.statements if " OWNER TO " in stmt.sql]) == 7
        apply(walker, plan)
        assert not diff(inspect(walker), target, compare_owners=True)


def test_a_foreign_tables_changes_warn_of_no_rows_stored_here(pg: PgServer) -> None:
    """Its rows are on the remote side: dropping or retyping a column, NOT NULL and a CHECK
    neither lose nor read them. Only the lock is said."""
    server = "create foreign data wrapper w; create server s foreign data wrapper w;"
    plan = converge(
        pg,
        server + " create foreign table ft (a int, b int) server s;",
        server + " create foreign table ft (a bigint not null check (a > 0)) server s;",
    )
    kinds = {stmt.sql: [h.kind for h in stmt.hazards] for stmt in plan.statements}
    assert kinds == {
        "ALTER TABLE public.ft DROP COLUMN b": ["access_exclusive_lock"],
        "ALTER TABLE public.ft ALTER COLUMN a TYPE bigint": ["access_exclusive_lock"],
        "ALTER TABLE public.ft ALTER COLUMN a SET NOT NULL": ["access_exclusive_lock"],
        "ALTER TABLE public.ft ADD CONSTRAINT ft_a_check CHECK ((a > 0))": [
            "access_exclusive_lock"
        ],
    }


# Each text search configuration (its parser, comment and mappings) and dictionary (its
# template, comment and options, whose order ALTER changes).
_TEXT_SEARCH = (
    "select (select string_agg(concat_ws(' ', cfgname, cfgparser, obj_description(c.oid,"
    " 'pg_ts_config'), (select string_agg(concat(maptokentype, ':', mapdict::regdictionary),"
    " ',' order by maptokentype, mapseqno) from pg_ts_config_map where mapcfg = c.oid)),"
    " '; ' order by cfgname) from pg_ts_config c where cfgnamespace = 'public'::regnamespace),"
    " (select string_agg(concat_ws(' ', dictname, dicttemplate, obj_description(d.oid,"
    " 'pg_ts_dict'), (select string_agg(o, ', ' order by o)"
    " from unnest(string_to_array(dictinitoption, ', ')) o)), '; ' order by dictname)"
    " from pg_ts_dict d where dictnamespace = 'public'::regnamespace)"
)
_IN_USE_OF = (
    " create table t(body text, v tsvector"
    " generated always as (to_tsvector('public.c'::regconfig, body)) stored);"
    " create index t_fts on t using gin (to_tsvector('public.c', body));"
)
_TEXT_SEARCH_CHANGES = {
    # mappings added, altered, dropped; an option; comments: all in place
    "in_place": (
        "create text search dictionary d (template = simple, stopwords = english, accept = false);"
        " create text search configuration c (parser = default);"
        " alter text search configuration c add mapping for asciiword, word with d, simple;"
        " alter text search configuration c add mapping for email with simple;" + _IN_USE_OF,
        "create text search dictionary d (template = simple, stopwords = english);"
        " comment on text search dictionary d is 'dee';"
        " create text search configuration c (parser = default);"
        " comment on text search configuration c is 'cee';"
        " alter text search configuration c add mapping for asciiword with simple, d;"
        " alter text search configuration c add mapping for word, url with d, simple;" + _IN_USE_OF,
    ),
    # A dictionary's template changes under a configuration in use: the configuration lets
    # go of it, and stays (with the index and column on it).
    "template_under_a_configuration_in_use": (
        "create text search dictionary d (template = simple, accept = false);"
        " create text search configuration c (parser = default);"
        " alter text search configuration c add mapping for asciiword, word with d, simple;"
        " alter text search configuration c add mapping for email with simple;" + _IN_USE_OF,
        "create text search dictionary d (template = snowball, language = english);"
        " create text search configuration c (parser = default);"
        " alter text search configuration c add mapping for asciiword, word with d, simple;"
        " alter text search configuration c add mapping for email with simple;" + _IN_USE_OF,
    ),
    # A dictionary dropped while a configuration that stays, in use, maps to it.
    "dictionary_dropped_under_a_configuration_in_use": (
        "create text search dictionary d (template = simple);"
        " create text search dictionary e (template = simple);"
        " create text search configuration c (parser = default);"
        " alter text search configuration c add mapping for asciiword, word with d, simple;"
        " alter text search configuration c add mapping for email with e;"
        + _IN_USE_OF
        + " create view v as select to_tsvector('public.c'::regconfig, body) from t;"
        " alter table t add column w tsvector default to_tsvector('public.c'::regconfig, 'x');",
        "create text search dictionary e (template = simple, accept = false);"
        " create text search configuration c (parser = default);"
        " alter text search configuration c add mapping for asciiword with simple;"
        " alter text search configuration c add mapping for email, word with e;"
        + _IN_USE_OF
        + " create view v as select to_tsvector('public.c'::regconfig, body) from t;"
        " alter table t add column w tsvector default to_tsvector('public.c'::regconfig, 'x');",
    ),
    # A configuration that goes with the index using it, and a dictionary only it used.
    "dropped_with_what_uses_it": (
        "create text search dictionary d (template = simple);"
        " create text search configuration c (parser = default);"
        " alter text search configuration c add mapping for word with d;"
        " create table t(body text); create index t_fts on t using gin (to_tsvector('c', body));",
        "create table t(body text);",
    ),
}


@pytest.mark.parametrize("forth", [True, False], ids=["forth", "back"])
@pytest.mark.parametrize("pair", list(_TEXT_SEARCH_CHANGES))
def test_text_search_objects_are_diffed(pg: PgServer, pair: str, forth: bool) -> None:
    source, target = _TEXT_SEARCH_CHANGES[pair] if forth else _TEXT_SEARCH_CHANGES[pair][::-1]
    reads_as_target(pg, source, target, _TEXT_SEARCH)


def test_text_search_objects_in_use_change_without_rebuilding_their_users(
    pg: PgServer,
) -> None:
    in_place = converge(pg, *_TEXT_SEARCH_CHANGES["in_place"]).sql()
    swapped = converge(pg, *_TEXT_SEARCH_CHANGES["template_under_a_configuration_in_use"]).sql()
    gone = converge(pg, *_TEXT_SEARCH_CHANGES["dictionary_dropped_under_a_configuration_in_use"])
    for plan in (in_place, swapped, gone.sql()):
        assert "DROP TEXT SEARCH CONFIGURATION" not in plan
        assert "DROP INDEX" not in plan and "DROP COLUMN" not in plan
        assert "DROP VIEW" not in plan and "DROP DEFAULT" not in plan
    assert "ALTER TEXT SEARCH DICTIONARY public.d (accept)" in in_place  # no value: removed
    assert "ALTER MAPPING FOR asciiword WITH simple, public.d" in in_place
    let_go = "ALTER TEXT SEARCH CONFIGURATION public.c DROP MAPPING FOR asciiword, word"
    assert swapped.index(let_go) < swapped.index("DROP TEXT SEARCH DICTIONARY public.d")
    assert swapped.index("CREATE TEXT SEARCH DICTIONARY public.d") < swapped.index(
        "ADD MAPPING FOR asciiword, word WITH public.d, simple"
    )
    dropped = converge(pg, *_TEXT_SEARCH_CHANGES["dropped_with_what_uses_it"]).sql()
    assert dropped.index("DROP INDEX public.t_fts") < dropped.index(
        "DROP TEXT SEARCH CONFIGURATION public.c"
    )


def test_text_search_on_an_extensions_dictionary_and_template(pg: PgServer) -> None:
    """unaccent's dictionary and template are the extension's (in Supabase's `extensions`
    schema, out of scope): what uses them comes after it, whether the plan creates it or it
    is there on both sides."""
    pg.require_extension("unaccent")
    schema = "create schema extensions;"
    extension = schema + " create extension unaccent with schema extensions;"
    mine = (
        " create text search dictionary u (template = extensions.unaccent, rules = unaccent);"
        " create text search configuration english_unaccent (copy = english);"
        " alter text search configuration english_unaccent"
        " alter mapping for hword, hword_part, word with extensions.unaccent, u, english_stem;"
        " create table t(body text); create index t_fts on t"
        " using gin (to_tsvector('public.english_unaccent'::regconfig, body));"
    )
    plan = converge(pg, schema, extension + mine).sql()
    assert plan.index("CREATE EXTENSION unaccent") < plan.index("CREATE TEXT SEARCH")
    round_trip(pg, extension, extension + mine)


def test_text_search_owners_are_compared_when_asked(pg: PgServer) -> None:
    ensure_roles(pg.admin_url)
    base = (
        "create text search dictionary d (template = simple);"
        " create text search configuration c (copy = simple);"
    )
    role = "schemainspect_test_role"
    owned = base + "".join(
        f" alter text search {kind} {name} owner to {role};"
        for kind, name in (("dictionary", "d"), ("configuration", "c"))
    )
    with databases(pg) as dbs:
        walker = dbs.create(base)
        target = inspect(dbs.create(owned))
        assert not diff(inspect(walker), target)
        plan = diff(inspect(walker), target, compare_owners=True)
        assert [stmt.sql for stmt in plan.statements] == [
            f'ALTER TEXT SEARCH DICTIONARY public.d OWNER TO "{role}"',
            f'ALTER TEXT SEARCH CONFIGURATION public.c OWNER TO "{role}"',
        ]
        apply(walker, plan)
        assert not diff(inspect(walker), target, compare_owners=True)


# Each user operator and cast as PostgreSQL holds it, with its comment. Not the shells that
# links to operators not created leave (a plan leaves them, as DROP OPERATOR does).
_OPERATORS_AND_CASTS = (
    "select string_agg(d, '; ' order by d) from ("
    " select concat_ws(' ', oid::regoperator, oprcode, oprcom::regoperator,"
    " oprnegate::regoperator, oprrest, oprjoin, oprcanhash, oprcanmerge,"
    " obj_description(oid, 'pg_operator')) as d from pg_operator"
    " where oid >= 16384 and oprcode <> 0"
    " union all select concat_ws(' ', castsource::regtype, casttarget::regtype,"
    " castfunc::regprocedure, castmethod, castcontext, obj_description(oid, 'pg_cast'))"
    " from pg_cast where oid >= 16384) s"
)
_TEXT_FUNCTIONS = (
    "create function eq(text, text) returns boolean language sql immutable as 'select $1 = $2';"
    " create function ne(text, text) returns boolean language sql immutable as 'select $1 <> $2';"
)
# What uses =~: a view, a check, an index, a default, a domain and a function's body.
_USERS_OF_EQ = (
    " create table t(a text check (a =~ 'x'), b boolean default ('p' =~ 'q'));"
    " create index ti on t ((a =~ 'y')); create view v as select a =~ 'z' as z from t;"
    " create domain dm as text check (value =~ 'd');"
    " create function uses(x text) returns boolean language sql begin atomic select x =~ 'a'; end;"
)
_EQ = "create operator =~ (leftarg = text, rightarg = text, function = eq"
_OPERATORS = {
    "used_by_views_checks_indexes_defaults_and_functions": (
        "",
        _TEXT_FUNCTIONS
        + _EQ
        + ");"
        + _USERS_OF_EQ
        + " comment on operator =~ (text, text) is 'e';",
    ),
    # Commutator and negator pairs, named both ways (created in any order) or one way only
    # (the operator named is created after, filling the shell the first one made).
    "commutator_and_negator_pairs": (
        "",
        _TEXT_FUNCTIONS + _EQ + ", commutator = =~, negator = !=~, hashes, merges);"
        " create operator !=~ (leftarg = text, rightarg = text, function = ne,"
        " commutator = !=~, negator = =~);"
        " create function lt(int, text) returns boolean language sql as 'select true';"
        " create function gt(text, int) returns boolean language sql as 'select true';"
        " create operator <~ (leftarg = int, rightarg = text, function = lt, commutator = ~>);"
        " create operator ~> (leftarg = text, rightarg = int, function = gt);"
        " create operator ~~> (leftarg = int, rightarg = text, function = lt, commutator = <~~);"
        " create operator <~~ (leftarg = text, rightarg = int, function = gt);"
        " create operator !!! (leftarg = text, rightarg = text, function = ne, negator = ===);"
        " create view v as select 'a' =~ 'b' as x, 'a' !=~ 'b' as y, 1 <~ 'a' as z;",
    ),
    "estimators_and_comment_changed_in_place": (
        _TEXT_FUNCTIONS + _EQ + ", restrict = eqsel, join = eqjoinsel);" + _USERS_OF_EQ,
        _TEXT_FUNCTIONS
        + _EQ
        + ", restrict = scalarltsel);"
        + _USERS_OF_EQ
        + " comment on operator =~ (text, text) is 'e';",
    ),
    # Its function changes: dropped and created again, with everything that uses it.
    "function_changed": (
        _TEXT_FUNCTIONS + _EQ + ");" + _USERS_OF_EQ,
        _TEXT_FUNCTIONS.replace("eq(", "eq2(") + _EQ.replace("= eq", "= eq2") + ");" + _USERS_OF_EQ,
    ),
    # Links that change: gained (in place from 17 when named back), lost, or left to a shell
    # when the operator they name is dropped (which takes a link off).
    "links_changed": (
        _TEXT_FUNCTIONS + _EQ + ");"
        " create operator !=~ (leftarg = text, rightarg = text, function = ne, negator = =~);"
        " create operator <!> (leftarg = text, rightarg = text, function = ne, negator = ===);"
        " create operator === (leftarg = text, rightarg = text, function = eq, negator = <!>);"
        " create operator =!= (leftarg = text, rightarg = text, function = eq);" + _USERS_OF_EQ,
        _TEXT_FUNCTIONS + _EQ + ", negator = !=~, commutator = =~);"
        " create operator !=~ (leftarg = text, rightarg = text, function = ne, negator = =~);"
        " create operator <!> (leftarg = text, rightarg = text, function = ne, negator = ===);"
        " create operator !== (leftarg = text, rightarg = text, function = ne, negator = =!=);"
        " create operator =!= (leftarg = text, rightarg = text, function = eq);" + _USERS_OF_EQ,
    ),
}


def test_an_operators_estimators_change_in_place_and_its_function_with_its_users(
    pg: PgServer,
) -> None:
    source, target = _OPERATORS["estimators_and_comment_changed_in_place"]
    in_place = [stmt.sql for stmt in converge(pg, source, target).statements]
    assert in_place == [
        "ALTER OPERATOR public.=~(text,text) SET (RESTRICT = scalarltsel, JOIN = NONE)",
        "COMMENT ON OPERATOR public.=~(text,text) IS 'e'",
    ]
    plan = converge(pg, *_OPERATORS["function_changed"]).sql()
    for drop in ("VIEW public.v", "INDEX public.ti", "FUNCTION public.uses(x text)"):
        assert plan.index(f"DROP {drop}") < plan.index("DROP OPERATOR public.=~(text,text)")
    assert "ALTER TABLE public.t ALTER COLUMN b DROP DEFAULT" in plan


def test_links_an_operator_lacks_are_set_in_place_from_17(pg: PgServer) -> None:
    base = _TEXT_FUNCTIONS + " create operator !=~ (leftarg = text, rightarg = text, function = ne"
    plan = converge(
        pg,
        base + "); " + _EQ + ");" + _USERS_OF_EQ,
        base + ", negator = =~); " + _EQ + ", negator = !=~, hashes);" + _USERS_OF_EQ,
    )
    sql = [stmt.sql for stmt in plan.statements]
    if pg.version_num >= 170000:
        assert (
            "ALTER OPERATOR public.=~(text,text) SET (NEGATOR = OPERATOR(public.!=~), HASHES)"
            in sql
        )
        assert not [stmt for stmt in sql if stmt.startswith("DROP")]
    else:
        assert "DROP OPERATOR public.=~(text,text)" in sql


_PAIR = (
    "create type pair as (a int, b int);"
    " create function show(pair) returns text language sql immutable"
    " as $$select ($1).a || '/' || ($1).b$$;"
)
_CASTS = {
    # Used implicitly: what PostgreSQL records is the function, yet the view, the default and
    # the function must come after the cast (before it, the default would be I/O conversion).
    "used_implicitly_by_a_view_and_a_default": (
        "",
        _PAIR + "create cast (pair as text) with function show(pair) as implicit;"
        " create table t(p pair, d text default row(1, 2)::pair);"
        " create view v as select upper(p) as u from t; comment on cast (pair as text) is 'c';"
        " create function up(p pair) returns text language sql begin atomic select upper(p); end;",
    ),
    "context_and_method_changed": (
        _PAIR + "create cast (pair as text) with function show(pair) as implicit;"
        " create table t(p pair, d text default row(1, 2)::pair);"
        " create cast (pair as integer) with inout;"
        " create cast (money as bigint) without function;"
        " comment on cast (money as bigint) is 'm';",
        _PAIR + "create cast (pair as text) with function show(pair) as assignment;"
        " create table t(p pair, d text default row(1, 2)::pair);"
        " create cast (pair as integer) with inout as assignment;"
        " create cast (money as bigint) with inout as implicit;",
    ),
    "dropped_with_its_function": (
        _PAIR + "create cast (pair as text) with function show(pair); create table t(p pair);",
        "create type pair as (a int, b int); create table t(p pair);",
    ),
}


@pytest.mark.parametrize("forth", [True, False], ids=["forth", "back"])
@pytest.mark.parametrize("pair", [*_OPERATORS, *_CASTS])
def test_operators_and_casts_are_diffed(pg: PgServer, pair: str, forth: bool) -> None:
    source, target = _OPERATORS[pair] if pair in _OPERATORS else _CASTS[pair]
    reads_as_target(pg, *((source, target) if forth else (target, source)), _OPERATORS_AND_CASTS)
