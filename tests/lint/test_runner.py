"""The runner: lines, statements, ignore directives, file-level state, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgalign.errors import MigrationFileError
from pgalign.lint import Severity, lint_migration, lint_sql
from pgalign.migrations.directory import load_directory


def test_finding_names_file_line_statement_and_severity() -> None:
    sql = "-- remove the legacy table\n\nset lock_timeout = '3s';\n\ndrop table\n  legacy;\n"
    [finding] = lint_sql(sql, "supabase/migrations/1_drop.sql")
    assert finding.rule == "ban-drop-table"
    assert finding.severity is Severity.ERROR
    assert finding.file == "supabase/migrations/1_drop.sql"
    assert finding.line == 5
    assert finding.statement == "drop table\n  legacy"
    assert "legacy" in finding.message


def test_text_that_merely_mentions_drop_table_is_not_a_finding() -> None:
    sql = (
        "-- drop table users;\n"
        "/* alter table users drop column email; */\n"
        "select 'drop table users; truncate orders cascade';\n"
        "comment on table orders is 'drop table orders';\n"
        "create function f() returns void language sql as $$ drop table users $$;\n"
        "do $$ begin execute 'drop schema public cascade'; end $$;\n"
    )
    assert lint_sql(sql) == []


def test_a_typical_new_table_migration_is_clean() -> None:
    sql = """
create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  username text unique not null check (char_length(username) >= 3),
  created_at timestamptz not null default now()
);
alter table public.profiles enable row level security;
create policy "own profile" on public.profiles for select using (auth.uid() = id);
create index profiles_username_idx on public.profiles (username);
alter table public.profiles add column bio text not null default '';
create function public.handle_new_user() returns trigger language plpgsql security definer as $$
begin
  insert into public.profiles (id, username) values (new.id, new.email);
  return new;
end;
$$;
"""
    assert lint_sql(sql) == []


def test_ignore_directive_silences_only_the_named_rule_on_the_next_statement() -> None:
    sql = (
        "set lock_timeout = '3s';\n"
        "-- pgalign-lint: ignore ban-drop-table\n"
        "drop table a cascade;\n"
        "drop table b;\n"
    )
    found = [(f.rule, f.line) for f in lint_sql(sql)]
    assert found == [("ban-drop-cascade", 3), ("ban-drop-table", 4)]


def test_ignore_directive_takes_several_rules_and_block_comments() -> None:
    sql = (
        "set lock_timeout = '3s';\n"
        "-- why: the table was replaced in 20240101000000\n"
        "/* pgalign-lint: ignore ban-drop-table, ban-drop-cascade */\n"
        "drop table a cascade;\n"
    )
    assert lint_sql(sql) == []


def test_ignore_directive_naming_no_rule_is_a_warning() -> None:
    sql = "set lock_timeout = '3s';\n-- pgalign-lint: ignore ban-drop-tabel\ndrop table a;\n"
    found = [(f.rule, f.severity, f.line) for f in lint_sql(sql)]
    assert found == [
        ("unknown-rule-in-ignore", Severity.WARNING, 3),
        ("ban-drop-table", Severity.ERROR, 3),
    ]


def test_ignore_directive_in_a_string_is_not_a_directive() -> None:
    sql = "select '-- pgalign-lint: ignore ban-drop-table';\ndrop table a;\n"
    assert "ban-drop-table" in {f.rule for f in lint_sql(sql)}


def test_lock_timeout_is_reported_once_per_file() -> None:
    sql = "alter table a add column x int;\nalter table b add column y int;\n"
    assert [(f.rule, f.line) for f in lint_sql(sql)] == [("require-lock-timeout", 1)]


def test_resetting_lock_timeout_needs_it_again() -> None:
    for reset in ("reset lock_timeout", "set lock_timeout to default", "set lock_timeout = 0"):
        sql = f"set lock_timeout = '3s';\n{reset};\nalter table a add column x int;\n"
        assert [(f.rule, f.line) for f in lint_sql(sql)] == [("require-lock-timeout", 3)], reset


def test_table_renamed_after_creation_in_the_same_file_is_still_new() -> None:
    sql = "create table t (id int);\nalter table t rename to u;\ncreate index on u (id);\n"
    assert lint_sql(sql) == []


def test_schema_qualified_and_unqualified_names_match_in_public() -> None:
    sql = "create table public.t (id int);\ncreate index on t (id);\n"
    assert lint_sql(sql) == []
    other = "create table audit.t (id int);\ncreate index on t (id);\n"
    assert {f.rule for f in lint_sql(other)} == {"require-concurrent-index-creation"}


def test_syntax_error_names_file_and_line() -> None:
    with pytest.raises(MigrationFileError, match=r"m\.sql:2:\d+: SQL syntax error"):
        lint_sql("select 1;\nselec 2;\n", "m.sql")


def test_lint_migration_reads_a_migration_file(tmp_path: Path) -> None:
    (tmp_path / "20240101000000_drop.sql").write_text("drop schema legacy;\n")
    [migration] = load_directory(tmp_path).files
    [finding] = lint_migration(migration)
    assert (finding.rule, finding.file, finding.line) == (
        "ban-drop-schema",
        str(migration.path),
        1,
    )


def test_lint_migration_rejects_non_utf8(tmp_path: Path) -> None:
    (tmp_path / "20240101000000_bad.sql").write_bytes(b"select '\xff';\n")
    [migration] = load_directory(tmp_path).files
    with pytest.raises(MigrationFileError, match="not valid UTF-8"):
        lint_migration(migration)
