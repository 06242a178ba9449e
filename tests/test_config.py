"""Project discovery and environments."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgalign.config import load_project
from pgalign.errors import ConfigError


def test_plain_supabase_project_is_found_from_a_subdirectory(supabase_project: Path) -> None:
    sub = supabase_project / "supabase" / "migrations"
    project = load_project(sub)
    assert project.root == supabase_project
    assert project.is_supabase
    assert project.migrations_dir == supabase_project / "supabase" / "migrations"


def test_supabase_false_opts_out_of_the_platform_stand_ins(project_dir: Path) -> None:
    assert not load_project(project_dir).is_supabase


def test_pgalign_toml_names_environments(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project_dir / "pgalign.toml").write_text(
        'migrations_dir = "db/migrations"\n'
        '[environments.staging]\nurl = "${STAGING_URL}"\n'
        '[environments.production]\nurl = "postgresql://u@h/p"\nprotected = true\n'
    )
    monkeypatch.setenv("STAGING_URL", "postgresql://s@h/s")
    project = load_project(project_dir)
    assert project.migrations_dir == project_dir / "db" / "migrations"
    assert project.environment("staging").resolved_url() == "postgresql://s@h/s"
    assert project.environment("production").protected


def test_tool_pgalign_in_pyproject_is_read(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pgalign]\nmigrations_dir = "m"\n[tool.pgalign.environments.dev]\nurl = "postgresql://d"\n'
    )
    project = load_project(tmp_path)
    assert project.migrations_dir == tmp_path / "m"
    assert project.environment("dev").url == "postgresql://d"


def test_missing_variable_is_named(project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project_dir / "pgalign.toml").write_text('[environments.prod]\nurl = "${PROD_DB_URL}"\n')
    monkeypatch.delenv("PROD_DB_URL", raising=False)
    with pytest.raises(ConfigError, match="environment variable PROD_DB_URL is not set"):
        load_project(project_dir).environment("prod").resolved_url()


def test_unknown_environment_lists_the_known_ones(project_dir: Path) -> None:
    (project_dir / "pgalign.toml").write_text('[environments.staging]\nurl = "postgresql://x"\n')
    with pytest.raises(ConfigError, match=r"unknown environment 'prod' \(known: staging\)"):
        load_project(project_dir).environment("prod")


def test_invalid_toml_is_one_clear_error(project_dir: Path) -> None:
    (project_dir / "pgalign.toml").write_text("[environments\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_project(project_dir)


def test_local_is_the_embedded_server_unless_configured(project_dir: Path) -> None:
    assert load_project(project_dir).environment("local").is_embedded
