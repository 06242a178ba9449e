"""Which migration last defined an object."""

from __future__ import annotations

from pathlib import Path

from pgalign.migrations.directory import load_directory
from pgalign.migrations.objects import DefinitionIndex
from pgalign.sql import last_identifier
from tests.helpers import write_migration


def test_last_identifier_reads_quoted_catalog_names() -> None:
    assert last_identifier('"public"."f"(integer, text)') == "f"
    assert last_identifier('"public"."t"."My ""odd"" policy"') == 'My "odd" policy'
    assert last_identifier("plain") == "plain"


def test_the_latest_migration_that_defines_or_alters_an_object_wins(project_dir: Path) -> None:
    write_migration(project_dir, "1", "init", "create table t (x int); create index t_x on t (x);")
    write_migration(
        project_dir, "2", "policy", 'create policy "read all" on t for select using (true);'
    )
    write_migration(
        project_dir, "3", "alter", "alter table t add column y int; select 'create table t';"
    )
    write_migration(
        project_dir,
        "4",
        "trigger",
        "create trigger tr after insert on t for each row execute function f();",
    )
    index = DefinitionIndex(load_directory(project_dir / "supabase" / "migrations"))
    assert index.last_definer("table", '"public"."t"') == "3_alter.sql"
    assert index.last_definer("index", '"public"."t_x"') == "1_init.sql"
    assert index.last_definer("policy", '"public"."t"."read all"') == "2_policy.sql"
    assert index.last_definer("trigger", '"public"."t"."tr"') == "4_trigger.sql"
    assert index.last_definer("function", '"public"."f"()') is None
