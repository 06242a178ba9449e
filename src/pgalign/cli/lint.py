"""`pgalign lint [FILES...]`: report migration hazards; exit 1 when an error-level rule fires."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pgalign.cli import common
from pgalign.cli.output import print_json
from pgalign.errors import MigrationFileError

if TYPE_CHECKING:
    from pgalign.lint import Finding
    from pgalign.migrations.directory import MigrationFile


class LintFormat(StrEnum):
    table = "table"
    json = "json"
    github = "github"


_SEVERITY_STYLE = {"error": "red", "warning": "yellow"}


@click.command("lint")
@click.argument(
    "files",
    nargs=-1,
    type=click.Path(path_type=Path),
    help="Migration files, or directories of *.sql files "
    "(default: every migration in the project's migrations directory).",
)
@common.format_option(
    LintFormat,
    LintFormat.table,
    "table for people, json for scripts, github for Actions annotations.",
)
def lint(files: tuple[Path, ...], output_format: LintFormat) -> None:
    """Report the hazards a reviewer looks for in migrations, per statement with file and line.

    Silence one finding with `-- pgalign-lint: ignore <rule>` right before the statement.

    Exit status: 0 no error-level findings, 1 an error-level rule fired, 2 bad input.
    """
    from pgalign.lint import lint_sql
    from pgalign.lint.render import github_command, json_document

    migrations = _explicit(files) if files else _project_migrations()
    findings = [
        finding
        for shown, migration in migrations
        for finding in lint_sql(migration.read_text(), shown)
    ]
    if output_format is LintFormat.json:
        print_json(json_document(findings))
    elif output_format is LintFormat.github:
        from pgalign.cli.output import out

        for finding in findings:
            out.print(github_command(finding), markup=False)
    else:
        _print_table(findings, len(migrations))
    if any(finding.is_error for finding in findings):
        raise SystemExit(1)


def _project_migrations() -> list[tuple[str, MigrationFile]]:
    directory = common.directory(common.project())
    return [(_shown(migration.path), migration) for migration in directory.files]


def _explicit(paths: Sequence[Path]) -> list[tuple[str, MigrationFile]]:
    found: list[tuple[str, MigrationFile]] = []
    for path in paths:
        if path.is_dir():
            found.extend((str(sql), _migration(sql)) for sql in sorted(path.glob("*.sql")))
        elif path.exists():
            found.append((str(path), _migration(path)))
        else:
            raise MigrationFileError(f"{path}: no such file or directory", "check the path")
    return found


def _migration(path: Path) -> MigrationFile:
    from pgalign.migrations.directory import FILE_NAME, MigrationFile

    # Files named outside the `<version>_<name>.sql` rule are linted too; lint ignores versions.
    match = FILE_NAME.match(path.name)
    return MigrationFile(match[1], match[2], path) if match else MigrationFile("", path.stem, path)


def _shown(path: Path) -> str:
    """Paths relative to the working directory, as CI annotations and editors expect."""
    cwd = Path.cwd()
    return str(path.relative_to(cwd)) if path.is_relative_to(cwd) else str(path)


def _print_table(findings: list[Finding], file_count: int) -> None:
    """Findings grouped under their file, one aligned row each; rows never wrap mid-column."""
    from rich.text import Text

    from pgalign.cli.output import out

    files = f"{file_count} file{'s' if file_count != 1 else ''}"
    if not findings:
        out.print(f"No findings in {files}.", markup=False)
        return
    line_width = max(len(str(f.line)) for f in findings)
    rule_width = max(len(f.rule) for f in findings)
    for file, group in groupby(findings, key=lambda f: f.file):
        out.print(Text(file, style="bold"))
        for finding in group:
            row = Text("  ")
            row.append(str(finding.line).rjust(line_width))
            row.append("  ")
            row.append(f"{finding.severity:<7}", style=_SEVERITY_STYLE[finding.severity])
            row.append(f"  {finding.rule:<{rule_width}}  {finding.message}")
            out.print(row)
        out.print()
    errors = sum(finding.is_error for finding in findings)
    warnings = len(findings) - errors
    out.print(f"{_count(errors, 'error')}, {_count(warnings, 'warning')} in {files}.")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"
