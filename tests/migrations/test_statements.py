"""Splitting migration files into statements with pglast."""

from __future__ import annotations

import pytest

from pgalign.errors import MigrationFileError
from pgalign.migrations.statements import normalized_tree, split_sql

TRICKY = """-- header comment
create table a (x int); -- trailing comment
create function f() returns int language plpgsql as $body$
begin
  -- a semicolon inside: ;
  return 1;
end $body$;
BEGIN;
create index concurrently a_x on a (x);
COMMIT;
select 'it''s; not a split', $$ ; $$;
vacuum a;
"""


def test_split_respects_dollar_quotes_strings_and_comments() -> None:
    statements = split_sql(TRICKY, "t.sql")
    assert [s.kind for s in statements] == [
        "CreateStmt",
        "CreateFunctionStmt",
        "TransactionStmt",
        "IndexStmt",
        "TransactionStmt",
        "SelectStmt",
        "VacuumStmt",
    ]
    assert statements[0].text == "-- header comment\ncreate table a (x int)"
    assert "return 1;" in statements[1].text
    assert statements[5].text == "select 'it''s; not a split', $$ ; $$"


def test_statement_lines_point_at_the_first_token() -> None:
    statements = split_sql(TRICKY, "t.sql")
    assert [s.line for s in statements] == [2, 3, 8, 9, 10, 11, 12]
    assert statements[0].text_line == 1


def test_statements_that_cannot_run_in_a_transaction_are_marked() -> None:
    sql = (
        "create index concurrently i on t (x); create index j on t (x);"
        "drop index concurrently i; reindex (concurrently) table t; vacuum t;"
        "alter table p detach partition c concurrently; alter table p detach partition c;"
        "create database d;"
    )
    flags = [s.transactional for s in split_sql(sql)]
    assert flags == [False, True, False, False, False, False, True, False]


def test_begin_and_commit_are_boundaries_and_rollback_is_flagged() -> None:
    statements = split_sql("begin; select 1; commit; rollback; savepoint s;")
    assert [s.transaction_boundary for s in statements] == [True, False, True, False, False]
    assert [s.rollback for s in statements] == [False, False, False, True, False]


def test_syntax_error_names_file_line_and_column() -> None:
    with pytest.raises(MigrationFileError) as caught:
        split_sql("select 1;\n\ncreate tabel x ();\n", "db/1_x.sql")
    assert caught.value.message.startswith("db/1_x.sql:3:8: SQL syntax error")


def test_normalized_tree_ignores_layout_and_comments_but_not_values() -> None:
    assert normalized_tree("select 1; -- c") == normalized_tree("SELECT\n  1")
    assert normalized_tree("select 1") != normalized_tree("select 2")
    assert normalized_tree("select (") is None
