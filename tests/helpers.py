"""Helpers for tests: write projects, run the CLI in-process."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from pgalign.cli.app import run


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def cli(capsys: pytest.CaptureFixture[str], project: Path, *args: str) -> CliResult:
    capsys.readouterr()
    code = run(["--workdir", str(project), *args])
    captured = capsys.readouterr()
    return CliResult(code, captured.out, captured.err)


def write_config(
    project: Path,
    environments: dict[str, str],
    protected: tuple[str, ...] = (),
    supabase: bool = False,
) -> None:
    lines = ['migrations_dir = "supabase/migrations"', f"supabase = {str(supabase).lower()}"]
    for name, url in environments.items():
        lines.append(f"[environments.{name}]")
        lines.append(f'url = "{url}"')
        if name in protected:
            lines.append("protected = true")
    (project / "pgalign.toml").write_text("\n".join(lines) + "\n")


def write_migration(project: Path, version: str, name: str, sql: str) -> Path:
    path = project / "supabase" / "migrations" / f"{version}_{name}.sql"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(sql, encoding="utf-8")
    return path
