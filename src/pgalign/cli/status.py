"""`pgalign status`, `pgalign check` and `pgalign fingerprint`."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pgalign.cli import common
from pgalign.cli.output import print_json, write

if TYPE_CHECKING:
    from pgalign.config import Project


class Format(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"
    junit = "junit"


envs_option = click.option(
    "--env",
    "-e",
    multiple=True,
    help="Environment to check (repeatable; default: all configured).",
)
format_option = common.format_option(Format, Format.table, "table, json, markdown or junit.")
output_option = click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    help="Write the report to this file instead of stdout.",
)


def _env_names(proj: Project, envs: tuple[str, ...]) -> list[str]:
    return list(envs) or list(proj.environments) or ["local"]


def _run(
    envs: tuple[str, ...], output_format: Format, output: Path | None, allow_pending: bool = False
) -> bool:
    from dataclasses import replace

    from pgalign.alignment import collect_status
    from pgalign.cli.output import err, out

    proj = common.project()
    directory = common.directory(proj, quiet=output_format is not Format.table)
    names = _env_names(proj, envs)
    with err.status("checking alignment", spinner="dots") as spinner:
        report = collect_status(proj, directory, names, lambda msg: spinner.update(msg))
    if allow_pending:  # a pull request's new migrations are pending everywhere until deployed
        report = replace(report, problems=[p for p in report.problems if p.code != "pending"])
    if output_format is Format.table and output is None:
        from pgalign.report.table import render_table

        render_table(report, out)
        return report.aligned
    text = _render(report, output_format)
    if output is None:
        write(text)
    else:
        output.write_text(text, encoding="utf-8")
        err.print(f"wrote {output}", markup=False)
    return report.aligned


def _render(report: object, output_format: Format) -> str:
    from pgalign.alignment import StatusReport

    assert isinstance(report, StatusReport)
    if output_format is Format.json:
        return json.dumps(report.as_dict(), indent=2) + "\n"
    if output_format is Format.markdown:
        from pgalign.report.markdown import render_markdown

        return render_markdown(report)
    if output_format is Format.junit:
        from pgalign.report.junit import render_junit

        return render_junit(report)
    from io import StringIO

    from rich.console import Console

    from pgalign.report.table import render_table

    buffer = StringIO()
    render_table(report, Console(file=buffer, no_color=True, width=120))
    return buffer.getvalue()


@click.command("status")
@envs_option
@format_option
@output_option
def status(env: tuple[str, ...], output_format: Format, output: Path | None) -> None:
    """Alignment of every environment: migrations, drift, fingerprints, and each fix.

    Read-only. Exit 0 whatever it finds (use `pgalign check` in CI).
    """
    _run(env, output_format, output)


@click.command("check")
@envs_option
@format_option
@output_option
@click.option(
    "--allow-pending",
    is_flag=True,
    help="Migrations not yet applied are not a problem (a pull request's new files).",
)
def check(
    env: tuple[str, ...], output_format: Format, output: Path | None, allow_pending: bool
) -> None:
    """`status` for CI: exit 0 aligned, 1 misaligned, 2 error."""
    if not _run(env, output_format, output, allow_pending):
        raise SystemExit(1)


@click.command("fingerprint")
@common.env_option
@common.db_url_option
@common.json_option
def fingerprint(env: str | None, db_url: str | None, as_json: bool) -> None:
    """A hash of the environment's normalized schema: equal for equal schemas."""
    from pgalign.catalog.inspect import inspect
    from pgalign.fingerprint import fingerprint as hash_of

    proj = common.project()
    tgt = common.target(proj, env or (None if db_url else "local"), db_url)
    value = hash_of(inspect(tgt.url))
    if as_json:
        print_json({"environment": tgt.name, "fingerprint": value})
    else:
        write(f"{value}\n")
