"""`pgalign diff FROM TO`: the SQL that turns FROM's schema into TO's."""

from __future__ import annotations

from enum import StrEnum
from functools import partial

import click

from pgalign.cli import common
from pgalign.cli.output import print_json, write


class Format(StrEnum):
    sql = "sql"
    json = "json"


@click.command("diff")
@click.argument("source", metavar="FROM", help="Environment name, URL, 'empty' or a .sql file.")
@click.argument("target", metavar="TO", help="Environment name, URL, 'empty' or a .sql file.")
@click.option("--schema", "-s", multiple=True, help="Only this schema (repeatable).")
@click.option("--exclude-schema", "-x", multiple=True, help="Leave this schema out (repeatable).")
@common.format_option(Format, Format.sql, "sql (with hazard comments) or json.")
@click.option("--owners", is_flag=True, help="Also compare object owners.")
def diff(
    source: str,
    target: str,
    schema: tuple[str, ...],
    exclude_schema: tuple[str, ...],
    output_format: Format,
    owners: bool,
) -> None:
    """Print the SQL that turns FROM's schema into TO's.

    Supabase's own schemas (auth, storage, realtime, ...) are left out unless named with
    --schema; RLS policies and triggers you add on auth and storage tables are kept.

    Exit status: 0 no differences, 1 differences, 2 error.
    """
    from pgalign.catalog.scope import Scope
    from pgalign.catalog.sources import (
        load_catalogs,
        load_unless_same,
        parse_source,
        remember_same,
    )

    sources = [parse_source(source), parse_source(target)]
    needs_project = any(s.kind in ("env", "sql") for s in sources)
    project = common.project() if needs_project else None
    scope = Scope.of(schema, exclude_schema)
    # the differ's modules are imported while the servers answer
    import_differ = partial(__import__, "pgalign.diff.compare")
    # owners are not part of a fingerprint: with --owners, always compare the catalogs
    loaded = (
        load_catalogs(sources, project, scope, import_differ)
        if owners
        else load_unless_same(sources, project, scope, import_differ)
    )
    from pgalign.diff.plan import Plan

    if loaded is None:
        plan = Plan((), ())
    else:
        from pgalign.diff.compare import diff as plan_diff

        before, after = loaded
        plan = plan_diff(before, after, compare_owners=owners)
        if not plan:
            remember_same(before, after)
    if output_format is Format.json:
        print_json(plan.as_dict())
    elif plan:
        write(plan.sql())
    else:
        write(f"-- no differences between {sources[0].label} and {sources[1].label}\n", stderr=True)
    if plan:
        raise SystemExit(1)
