"""`pgalign platform snapshot`: shadows bootstrapped from a real environment's platform schemas."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgalign.bootstrap import supabase_bootstrap
from tests.alignment_helpers import status_json, write_envs
from tests.conftest import PgServer, execute
from tests.helpers import cli, write_migration

PLATFORM_EXTRA = """
create table auth.sessions (id uuid primary key, user_id uuid references auth.users (id), created_at timestamptz);
create function auth.is_admin() returns boolean language sql stable as $$ select auth.role() = 'service_role' $$;
"""


def test_snapshot_lets_migrations_use_what_only_the_real_platform_has(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db_factory: PgServer
) -> None:
    production = db_factory.create_database()
    execute(production, supabase_bootstrap() + PLATFORM_EXTRA)
    write_envs(project_dir, db_factory, {"production": production}, supabase=True)
    write_migration(
        project_dir,
        "20240101000000",
        "sessions_view",
        "create view public.my_sessions as select id, created_at from auth.sessions where user_id = auth.uid();\n"
        "create policy admins on storage.objects for all to authenticated using (auth.is_admin());",
    )
    assert cli(capsys, project_dir, "push", "--env", "production").code == 0
    # The built-in stand-ins have no auth.sessions: the shadow cannot replay the migration.
    before = status_json(capsys, project_dir)
    assert before["environments"]["production"]["drift"]["checked"] is False
    assert "auth.sessions" in before["environments"]["production"]["drift"]["reason"]

    shot = cli(capsys, project_dir, "platform", "snapshot", "--env", "production")
    assert shot.code == 0, shot.err
    text = (project_dir / "supabase" / "platform.sql").read_text()
    assert "auth.sessions" in text and "CREATE ROLE" not in text.split("$roles$")[0]
    after = status_json(capsys, project_dir)
    assert after["aligned"] is True, after["environments"]["production"]["drift"]


def test_snapshot_needs_an_environment(
    capsys: pytest.CaptureFixture[str], project_dir: Path
) -> None:
    result = cli(capsys, project_dir, "platform", "snapshot")
    assert result.code == 2 and "needs --env" in result.err
