"""Projects with several environments on the test server, for status, check and pull tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PgServer
from tests.helpers import cli


def write_envs(
    project: Path,
    pg: PgServer,
    environments: dict[str, str],
    protected: tuple[str, ...] = (),
    supabase: bool = False,
) -> None:
    """pgalign.toml naming `environments`, with the shadow on the test server itself.

    Not a Supabase project unless asked: plain test databases have no platform objects.
    """
    lines = [
        'migrations_dir = "supabase/migrations"',
        f'shadow_url = "{pg.admin_url}"',
        f"supabase = {'true' if supabase else 'false'}",
    ]
    for name, url in environments.items():
        lines += [f"[environments.{name}]", f'url = "{url}"']
        if name in protected:
            lines.append("protected = true")
    (project / "pgalign.toml").write_text("\n".join(lines) + "\n")


def status_json(capsys: pytest.CaptureFixture[str], project: Path, *args: str) -> dict[str, Any]:
    result = cli(capsys, project, "status", "--format", "json", *args)
    assert result.code == 0, result.err
    data: dict[str, Any] = json.loads(result.out)
    return data


def problem_codes(report: dict[str, Any], env: str) -> list[str]:
    return [p["code"] for p in report["problems"] if p["environment"] == env]


def fix_of(report: dict[str, Any], env: str, code: str) -> list[str]:
    """The command a problem's fix names, as arguments (the text between backticks)."""
    (problem,) = [p for p in report["problems"] if p["environment"] == env and p["code"] == code]
    command = problem["fix"].split("`")[1]
    assert command.startswith("pgalign ")
    return command.split()[1:]
