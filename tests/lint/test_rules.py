"""Each rule: statements that fire it and statements that must not, through the real parser."""

from __future__ import annotations

import pytest

from pgalign.lint import RULES, lint_sql

# (rule, SQL, whether the rule fires on it). Tables not created in the same SQL exist already.
CASES: list[tuple[str, str, bool]] = [
    ("ban-drop-table", "drop table users;", True),
    ("ban-drop-table", "drop table if exists public.users, audit.log;", True),
    ("ban-drop-table", "create table scratch (id int); drop table scratch;", False),
    ("ban-drop-table", "drop view users_view;", False),
    ("ban-drop-column", "alter table users drop column email;", True),
    ("ban-drop-column", "create table t (a int, b int); alter table t drop column b;", False),
    ("ban-drop-column", "alter table users drop constraint users_email_key;", False),
    ("ban-drop-schema", "drop schema legacy;", True),
    ("ban-drop-schema", "drop view legacy;", False),
    ("ban-drop-cascade", "drop function touch_updated_at() cascade;", True),
    ("ban-drop-cascade", "alter table users drop column org_id cascade;", True),
    ("ban-drop-cascade", "drop function touch_updated_at();", False),
    ("ban-truncate-cascade", "truncate orders cascade;", True),
    ("ban-truncate-cascade", "truncate orders;", False),
    ("adding-required-field", "alter table users add column age int not null;", True),
    ("adding-required-field", "alter table users add column id2 int primary key;", True),
    ("adding-required-field", "alter table users add column age int not null default 0;", False),
    (
        "adding-required-field",
        "alter table users add column n bigint not null generated always as identity;",
        False,
    ),
    ("adding-required-field", "alter table users add column age int;", False),
    ("adding-required-field", "create table t (id int); alter table t add c int not null;", False),
    (
        "adding-field-with-default",
        "alter table users add column token uuid default gen_random_uuid();",
        True,
    ),
    ("adding-field-with-default", "alter table users add column n int default random();", True),
    ("adding-field-with-default", "alter table users add column n int default my_func();", True),
    ("adding-field-with-default", "alter table users add column n bigserial;", True),
    (
        "adding-field-with-default",
        "alter table users add column n int generated always as (id * 2) stored;",
        True,
    ),
    (
        "adding-field-with-default",
        "alter table users add column created_at timestamptz not null default now();",
        False,
    ),
    (
        "adding-field-with-default",
        "alter table users add column owner uuid default auth.uid();",
        False,
    ),
    ("adding-field-with-default", "alter table users add column active bool default true;", False),
    (
        "adding-field-with-default",
        "create table t (id int); alter table t add column u uuid default gen_random_uuid();",
        False,
    ),
    ("adding-not-nullable-field", "alter table users alter column email set not null;", True),
    ("adding-not-nullable-field", "alter table users alter column email drop not null;", False),
    (
        "adding-not-nullable-field",
        "create table t (email text); alter table t alter column email set not null;",
        False,
    ),
    ("changing-column-type", "alter table users alter column id type bigint;", True),
    (
        "changing-column-type",
        "create table t (id int); alter table t alter column id type bigint;",
        False,
    ),
    ("changing-column-type", "alter table users alter column id set default 0;", False),
    (
        "constraint-missing-not-valid",
        "alter table orders add constraint orders_user_fk foreign key (user_id) "
        "references users (id);",
        True,
    ),
    (
        "constraint-missing-not-valid",
        "alter table orders add constraint positive check (total > 0);",
        True,
    ),
    (
        "constraint-missing-not-valid",
        "alter table orders add column user_id uuid references users (id);",
        True,
    ),
    (
        "constraint-missing-not-valid",
        "alter table orders add constraint orders_user_fk foreign key (user_id) "
        "references users (id) not valid;",
        False,
    ),
    (
        "constraint-missing-not-valid",
        "alter table orders validate constraint orders_user_fk;",
        False,
    ),
    (
        "constraint-missing-not-valid",
        "create table t (id int, u int); alter table t add foreign key (u) references users;",
        False,
    ),
    ("disallowed-unique-constraint", "alter table users add unique (email);", True),
    ("disallowed-unique-constraint", "alter table users add primary key (id);", True),
    (
        "disallowed-unique-constraint",
        "alter table users add constraint users_email_key unique using index users_email_idx;",
        False,
    ),
    (
        "disallowed-unique-constraint",
        "create table t (email text); alter table t add unique (email);",
        False,
    ),
    (
        "adding-field-with-default",
        "alter table users add column u uuid default extensions.uuid_generate_v4();",
        True,
    ),
    ("require-lock-timeout", "drop policy if exists owner_only on public.users;", True),
    ("require-lock-timeout", "create table t (id int); drop trigger touch on t;", False),
    ("renaming-table", "alter table users rename to members;", True),
    ("renaming-table", "create table t (id int); alter table t rename to u;", False),
    ("renaming-table", "alter table users rename column email to mail;", False),
    ("renaming-column", "alter table users rename column email to mail;", True),
    ("renaming-column", "create table t (a int); alter table t rename column a to b;", False),
    ("renaming-column", "alter table users rename to members;", False),
    ("require-concurrent-index-creation", "create index users_email on users (email);", True),
    (
        "require-concurrent-index-creation",
        "create index concurrently users_email on users (email);",
        False,
    ),
    (
        "require-concurrent-index-creation",
        "create table t (email text); create index on t (email);",
        False,
    ),
    (
        "ban-concurrently-in-transaction",
        "begin; create index concurrently users_email on users (email); commit;",
        True,
    ),
    ("ban-concurrently-in-transaction", "begin; drop index concurrently users_email; end;", True),
    (
        "ban-concurrently-in-transaction",
        "create index concurrently users_email on users (email);",
        False,
    ),
    (
        "ban-concurrently-in-transaction",
        "begin; select 1; commit; create index concurrently users_email on users (email);",
        False,
    ),
    ("require-lock-timeout", "alter table users add column bio text;", True),
    ("require-lock-timeout", "lock table users;", True),
    (
        "require-lock-timeout",
        "set lock_timeout = '5s'; alter table users add column bio text;",
        False,
    ),
    (
        "require-lock-timeout",
        "select set_config('lock_timeout', '5s', false); alter table users add column bio text;",
        False,
    ),
    ("require-lock-timeout", "alter table users validate constraint users_fk;", False),
    ("require-lock-timeout", "create table t (id int); alter table t add column c int;", False),
    ("require-lock-timeout", "lock table users in share mode;", False),
]


def fired(sql: str) -> set[str]:
    return {finding.rule for finding in lint_sql(sql, "migration.sql")}


@pytest.mark.parametrize(
    ("rule", "sql", "fires"), CASES, ids=[f"{r}-{'fires' if f else 'quiet'}" for r, _, f in CASES]
)
def test_rule_fires_only_on_its_hazard(rule: str, sql: str, fires: bool) -> None:
    assert (rule in fired(sql)) is fires


def test_every_rule_has_a_firing_and_a_quiet_case() -> None:
    firing = {rule for rule, _, fires in CASES if fires}
    quiet = {rule for rule, _, fires in CASES if not fires}
    every = {rule.id for rule in RULES}
    assert firing == every
    assert quiet == every


def test_rule_ids_are_unique() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
