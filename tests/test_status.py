"""`pgalign status` and `check`: migration state, drift and fingerprints on real servers."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.alignment_helpers import fix_of, problem_codes, status_json, write_envs
from tests.conftest import PgServer, execute, query
from tests.helpers import cli, write_migration

INIT = """
create table public.notes (id bigint primary key, body text not null, owner uuid);
create index notes_owner on public.notes (owner);
alter table public.notes enable row level security;
"""


@pytest.fixture
def two_envs(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db_factory: PgServer
) -> dict[str, str]:
    """staging and production, both migrated with the project's one migration."""
    urls = {"staging": db_factory.create_database(), "production": db_factory.create_database()}
    write_envs(project_dir, db_factory, urls)
    write_migration(project_dir, "20240101000000", "init", INIT)
    for url in urls.values():
        assert cli(capsys, project_dir, "push", "--db-url", url).code == 0
    return urls


def test_migrated_environments_are_aligned(
    capsys: pytest.CaptureFixture[str], project_dir: Path, two_envs: dict[str, str]
) -> None:
    report = status_json(capsys, project_dir)
    assert report["aligned"] is True and report["problems"] == []
    staging, production = report["environments"]["staging"], report["environments"]["production"]
    assert staging["reachable"] and staging["migrations"]["applied"] == 1
    assert (
        staging["fingerprint"] == production["fingerprint"] == report["migrations"]["fingerprint"]
    )
    assert staging["drift"] == {"checked": True, "drifted": False, "reason": None, "changes": []}
    assert cli(capsys, project_dir, "check").code == 0


@pytest.mark.parametrize(
    ("manual_sql", "kind", "change", "detail"),
    [
        (
            "alter table public.notes add column title text",
            "table",
            "changed",
            "column(s) added: title",
        ),
        (
            'create policy "everyone reads" on public.notes for select using (true)',
            "policy",
            "added",
            "exists here but in no migration",
        ),
        (
            "drop index public.notes_owner",
            "index",
            "removed",
            "created by the migrations but missing here",
        ),
    ],
)
def test_manual_changes_are_drift_with_the_pull_fix(
    capsys: pytest.CaptureFixture[str],
    project_dir: Path,
    two_envs: dict[str, str],
    manual_sql: str,
    kind: str,
    change: str,
    detail: str,
) -> None:
    execute(two_envs["production"], manual_sql)
    report = status_json(capsys, project_dir)
    assert report["aligned"] is False
    drift = report["environments"]["production"]["drift"]
    assert drift["drifted"] is True
    assert [(c["kind"], c["change"], c["detail"]) for c in drift["changes"]] == [
        (kind, change, detail)
    ]
    assert report["environments"]["staging"]["drift"]["drifted"] is False
    assert problem_codes(report, "production") == ["drift"]
    assert fix_of(report, "production", "drift") == ["pull", "--env", "production"]
    check = cli(capsys, project_dir, "check")
    assert check.code == 1 and "MISALIGNED" in check.out


def test_pull_then_push_makes_every_environment_aligned(
    capsys: pytest.CaptureFixture[str], project_dir: Path, two_envs: dict[str, str]
) -> None:
    execute(
        two_envs["production"],
        "alter table public.notes add column title text; create index notes_title on public.notes (title)",
    )
    report = status_json(capsys, project_dir)
    pulled = cli(capsys, project_dir, *fix_of(report, "production", "drift"), "--yes")
    assert pulled.code == 0, pulled.err
    after_pull = status_json(capsys, project_dir)
    assert problem_codes(after_pull, "production") == []
    assert problem_codes(after_pull, "staging") == ["pending"]
    assert cli(capsys, project_dir, *fix_of(after_pull, "staging", "pending")).code == 0
    final = status_json(capsys, project_dir)
    assert final["aligned"] is True
    assert query(
        two_envs["staging"], "select count(*) from pg_indexes where indexname = 'notes_title'"
    ) == [(1,)]


def test_every_history_mismatch_is_reported_and_each_fix_resolves_it(
    capsys: pytest.CaptureFixture[str], project_dir: Path, two_envs: dict[str, str]
) -> None:
    migrations = project_dir / "supabase" / "migrations"
    # missing_local: a migration applied on both whose file is then archived.
    write_migration(
        project_dir, "20240102000000", "archived", "create table public.legacy (id int);"
    )
    assert cli(capsys, project_dir, "push", "--env", "production").code == 0
    assert cli(capsys, project_dir, "push", "--env", "staging").code == 0
    write_migration(project_dir, "20240103000000", "newest", "create table public.newest (id int);")
    assert cli(capsys, project_dir, "push", "--env", "production").code == 0
    (migrations / "20240102000000_archived.sql").unlink()
    # out_of_order on production (older than its newest version), pending on staging.
    write_migration(
        project_dir, "20240102120000", "late_branch", "create table public.late (id int);"
    )
    # modified: an applied file edited afterwards (staging is the one that had it).
    (migrations / "20240101000000_init.sql").write_text(
        INIT + "\n-- edited\ncreate table public.extra (id int);\n"
    )
    report = status_json(capsys, project_dir)
    assert set(problem_codes(report, "production")) == {"missing_local", "out_of_order", "modified"}
    assert set(problem_codes(report, "staging")) == {"missing_local", "pending", "modified"}
    for env in ("production", "staging"):
        (migrations / "20240101000000_init.sql").write_text(
            INIT + "\n-- edited\ncreate table public.extra (id int);\n"
        )
        fixes = [fix_of(report, env, code) for code in problem_codes(report, env)]
        for args in fixes:
            result = cli(capsys, project_dir, *args)
            assert result.code == 0, (args, result.err)
    final = status_json(capsys, project_dir)
    assert final["aligned"] is True, final["problems"]


def test_an_unreachable_environment_does_not_hide_the_others(
    capsys: pytest.CaptureFixture[str],
    project_dir: Path,
    db_factory: PgServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    staging = db_factory.create_database()
    monkeypatch.delenv("PGALIGN_TEST_PROD_URL", raising=False)
    write_envs(
        project_dir,
        db_factory,
        {
            "staging": staging,
            "production": "${PGALIGN_TEST_PROD_URL}",
            "dr": "postgresql://u:pw@127.0.0.1:1/x",
        },
    )
    write_migration(project_dir, "1", "a", "create table public.a (x int);")
    assert cli(capsys, project_dir, "push", "--env", "staging").code == 0
    report = status_json(capsys, project_dir)
    envs = report["environments"]
    assert envs["staging"]["reachable"] is True and envs["staging"]["migrations"]["applied"] == 1
    assert envs["production"]["reachable"] is False
    assert "PGALIGN_TEST_PROD_URL" in envs["production"]["error"]
    assert envs["dr"]["reachable"] is False and "pw" not in envs["dr"]["error"]
    assert problem_codes(report, "production") == ["unreachable"]
    assert cli(capsys, project_dir, "check").code == 1


def test_supabase_migrations_with_auth_uid_and_grants_check_clean(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db_factory: PgServer
) -> None:
    from pgalign.bootstrap import supabase_bootstrap

    production = db_factory.create_database()
    execute(production, supabase_bootstrap())  # what the platform gives every project
    write_envs(project_dir, db_factory, {"production": production}, supabase=True)
    write_migration(
        project_dir,
        "20240101000000",
        "profiles",
        """
        create table public.profiles (id uuid primary key references auth.users (id), name text);
        alter table public.profiles enable row level security;
        create policy "own" on public.profiles for all to authenticated using (auth.uid() = id);
        grant select, update on public.profiles to authenticated;
        create policy "avatars" on storage.objects for select to authenticated using (bucket_id = 'avatars');
        """,
    )
    assert cli(capsys, project_dir, "push", "--env", "production").code == 0
    report = status_json(capsys, project_dir)
    assert report["aligned"] is True, report["problems"]
    execute(
        production,
        "revoke update on public.profiles from authenticated; drop policy avatars on storage.objects",
    )
    drifted = status_json(capsys, project_dir)["environments"]["production"]["drift"]
    assert {c["kind"] for c in drifted["changes"]} >= {"policy"}
    assert drifted["drifted"] is True


def test_status_is_read_only(
    capsys: pytest.CaptureFixture[str], project_dir: Path, two_envs: dict[str, str]
) -> None:
    before = query(two_envs["production"], "select count(*) from pg_class")
    execute(two_envs["production"], "alter table public.notes add column title text")
    status_json(capsys, project_dir)
    after = query(two_envs["production"], "select count(*) from pg_class")
    assert before == after
    assert query(
        two_envs["production"], "select count(*) from supabase_migrations.schema_migrations"
    ) == [(1,)]


def test_markdown_and_junit_reports(
    capsys: pytest.CaptureFixture[str], project_dir: Path, two_envs: dict[str, str], tmp_path: Path
) -> None:
    execute(two_envs["production"], "alter table public.notes add column title text")
    target = tmp_path / "ALIGNMENT-STATUS.md"
    assert (
        cli(capsys, project_dir, "status", "--format", "markdown", "--output", str(target)).code
        == 0
    )
    text = target.read_text()
    assert text.startswith("# Database Alignment Status")
    assert "MISALIGNED" in text and "pgalign pull --env production" in text
    junit = cli(capsys, project_dir, "check", "--format", "junit")
    assert junit.code == 1
    import xml.etree.ElementTree as ElementTree

    root = ElementTree.fromstring(junit.out)
    failures = root.findall(".//failure")
    assert [f.get("type") for f in failures] == ["drift"]


def test_pull_on_a_database_without_history_writes_a_baseline(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db_factory: PgServer
) -> None:
    handmade = db_factory.create_database()
    execute(handmade, INIT + "create view public.v as select id from public.notes;")
    write_envs(project_dir, db_factory, {"handmade": handmade})
    result = cli(capsys, project_dir, "pull", "--env", "handmade", "--yes", "--name", "baseline")
    assert result.code == 0, result.err
    assert "baseline of the whole schema" in result.out
    (baseline,) = (project_dir / "supabase" / "migrations").glob("*_baseline.sql")
    assert "CREATE TABLE" in baseline.read_text()
    assert status_json(capsys, project_dir)["aligned"] is True


def test_status_names_who_changed_a_drifted_object_when_the_guard_records_ddl(
    capsys: pytest.CaptureFixture[str], project_dir: Path, two_envs: dict[str, str]
) -> None:
    assert cli(capsys, project_dir, "guard", "install", "--env", "production").code == 0
    execute(
        two_envs["production"],
        "set application_name = 'psql'; alter table public.notes add column title text",
    )
    report = status_json(capsys, project_dir)
    (change,) = report["environments"]["production"]["drift"]["changes"]
    assert change["changed_by"] == "postgres" and change["changed_at"]
    table = cli(capsys, project_dir, "status")
    assert "changed by postgres at" in table.out
    assert report["environments"]["production"]["drift"]["drifted"] is True


def test_check_allow_pending_passes_a_pull_request_with_new_migrations(
    capsys: pytest.CaptureFixture[str], project_dir: Path, two_envs: dict[str, str]
) -> None:
    write_migration(project_dir, "20240201000000", "new_feature", "create table public.f (x int);")
    assert cli(capsys, project_dir, "check").code == 1
    assert cli(capsys, project_dir, "check", "--allow-pending").code == 0
    execute(two_envs["production"], "create index notes_body on public.notes (body)")
    assert cli(capsys, project_dir, "check", "--allow-pending").code == 1  # drift still fails


def test_pull_again_before_recording_does_not_write_the_changes_twice(
    capsys: pytest.CaptureFixture[str], project_dir: Path, two_envs: dict[str, str]
) -> None:
    execute(two_envs["production"], "alter table public.notes add column title text")
    first = cli(capsys, project_dir, "pull", "--env", "production")  # no terminal: not recorded
    assert first.code == 0 and "not recorded" in first.err
    again = cli(capsys, project_dir, "pull", "--env", "production")
    assert again.code == 2 and "migration repair" in again.err
    assert len(list((project_dir / "supabase" / "migrations").glob("*_remote_schema.sql"))) == 1
    fix = again.err.split("`")[1].split()[1:]
    assert cli(capsys, project_dir, *fix).code == 0
    assert problem_codes(status_json(capsys, project_dir), "production") == []


def test_pull_of_a_new_enum_label_in_use_writes_a_file_that_push_can_apply(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db_factory: PgServer
) -> None:
    """ALTER TYPE ... ADD VALUE cannot be used in its own transaction, and push runs each
    file in one: the pulled labels come in a file of their own, first."""
    urls = {"staging": db_factory.create_database(), "production": db_factory.create_database()}
    write_envs(project_dir, db_factory, urls)
    write_migration(
        project_dir,
        "20240101000000",
        "init",
        "create type public.mood as enum ('sad', 'ok');"
        " create table public.notes (id int primary key, mood public.mood default 'ok');",
    )
    for url in urls.values():
        assert cli(capsys, project_dir, "push", "--db-url", url).code == 0
    execute(
        urls["production"],
        "alter type public.mood add value 'happy';",
    )
    execute(urls["production"], "alter table public.notes alter column mood set default 'happy'")
    report = status_json(capsys, project_dir)
    pulled = cli(capsys, project_dir, *fix_of(report, "production", "drift"), "--yes")
    assert pulled.code == 0, pulled.err
    files = sorted((project_dir / "supabase" / "migrations").glob("*.sql"))
    assert len(files) == 3 and files[1].name.endswith("_enum_labels.sql")
    assert "ADD VALUE 'happy'" in files[1].read_text()
    assert "SET DEFAULT 'happy'" in files[2].read_text()
    after_pull = status_json(capsys, project_dir)
    assert problem_codes(after_pull, "production") == []
    pushed = cli(capsys, project_dir, *fix_of(after_pull, "staging", "pending"))
    assert pushed.code == 0, pushed.err
    assert status_json(capsys, project_dir)["aligned"] is True


def test_a_push_that_failed_after_committing_part_of_a_migration_is_undone_then_pushed(
    capsys: pytest.CaptureFixture[str], project_dir: Path, two_envs: dict[str, str]
) -> None:
    """CREATE INDEX CONCURRENTLY runs outside a transaction: when a later statement fails,
    the index stays. A pull would capture it into a second migration; the fix undoes it."""
    production = two_envs["production"]
    write_migration(
        project_dir,
        "20240201000000",
        "search",
        "create index concurrently notes_body on public.notes (body);\n"
        "alter table public.notes add constraint short check (length(body) < 10);\n",
    )
    execute(production, "insert into public.notes values (1, 'a body too long')")
    failed = cli(capsys, project_dir, "push", "--env", "production", "--yes")
    assert failed.code == 2 and "statements 1 of this migration" in failed.err
    execute(production, "delete from public.notes")  # what made it fail, gone
    report = status_json(capsys, project_dir)
    assert problem_codes(report, "production") == ["partially_applied", "pending"]
    migrations = report["environments"]["production"]["migrations"]
    assert migrations["partially_applied"] == ["20240201000000"]
    (problem,) = [p for p in report["problems"] if p["code"] == "partially_applied"]
    assert "index public.notes_body" in problem["message"]
    undo, push = problem["fix"].split("`")[1::2]
    assert undo == "DROP INDEX public.notes_body"
    assert "--include-all" not in fix_of(report, "production", "pending")
    execute(production, undo)
    assert cli(capsys, project_dir, *push.split()[1:], "--yes").code == 0
    assert problem_codes(status_json(capsys, project_dir), "production") == []


def test_a_late_migration_that_needs_newer_ones_gets_a_newer_version_not_include_all(
    capsys: pytest.CaptureFixture[str], project_dir: Path, two_envs: dict[str, str]
) -> None:
    """A branch's migration kept its old version but alters a table a migration merged
    before it creates. Staging has it (applied by hand, recorded by repair); production
    has the newer migration only. `--include-all` would break every replay: rename."""
    write_migration(project_dir, "20240301000000", "tags", "create table public.tags (x int);")
    for url in two_envs.values():
        assert cli(capsys, project_dir, "push", "--db-url", url, "--yes").code == 0
    late = write_migration(
        project_dir, "20240201000000", "tag_name", "alter table public.tags add column name text;"
    )
    execute(two_envs["staging"], late.read_text())
    repaired = ("migration", "repair", "20240201000000", "--status", "applied")
    assert cli(capsys, project_dir, *repaired, "--env", "staging", "--yes").code == 0
    report = status_json(capsys, project_dir)
    assert problem_codes(report, "production") == ["out_of_order"]
    (out_of_order,) = [p for p in report["problems"] if p["code"] == "out_of_order"]
    assert "--include-all" not in out_of_order["fix"]
    assert out_of_order["fix"].startswith("give 20240201000000 a newer version first")
    (replay,) = [p for p in report["problems"] if p["code"] == "replay_failed"]
    renamed = replay["fix"].split("rename it to ")[1].split(";")[0]
    assert renamed.endswith("_tag_name.sql") and renamed > "20240301000000"
    # Follow the fix: the new name, staging's history told, then the push it names.
    late.rename(late.with_name(renamed))
    for command in replay["fix"].split("`")[1::2]:
        assert cli(capsys, project_dir, *command.split()[1:], "--yes").code == 0, command
    report = status_json(capsys, project_dir)
    assert problem_codes(report, "staging") == [] and problem_codes(report, "migrations") == []
    assert problem_codes(report, "production") == ["pending"]
    assert cli(capsys, project_dir, *fix_of(report, "production", "pending"), "--yes").code == 0
    assert status_json(capsys, project_dir)["aligned"] is True
