"""The status report for a person at a terminal: one column per environment."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from pgalign.alignment import EnvironmentStatus, StatusReport


def render_table(report: StatusReport, console: Console) -> None:
    table = Table(show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("")
    for name in report.environments:
        table.add_column(name)
    envs = list(report.environments.values())
    table.add_row("reachable", *(_reachable(e) for e in envs))
    table.add_row("server", *(e.server_version or "-" for e in envs))
    for label in ("applied", "pending", "missing_local", "out_of_order", "modified"):
        table.add_row(label, *(_migrations(e, label) for e in envs))
    table.add_row("drift", *(_drift(e) for e in envs))
    table.add_row("fingerprint", *(e.fingerprint or "-" for e in envs))
    console.print(table)
    console.print()
    fingerprint = report.migrations_fingerprint or "unknown (replay failed)"
    console.print(
        f"migrations: {report.migration_count} file(s), schema fingerprint {fingerprint}",
        markup=False,
    )
    groups = report.same_schema_groups()
    if len(groups) > 1:
        console.print("schemas differ: " + " | ".join(", ".join(g) for g in groups), markup=False)
    elif groups:
        console.print(f"same schema: {', '.join(groups[0])}", markup=False)
    for name, env in report.environments.items():
        for change in env.drift.changes:
            origin = change.provenance
            console.print(
                f"drift on {name}: {change.change} {change.kind} {change.object}{origin}: "
                f"{change.detail}",
                markup=False,
            )
    console.print()
    if report.aligned:
        console.print("[bold green]ALIGNED[/bold green]")
        return
    console.print("[bold red]MISALIGNED[/bold red]")
    for index, problem in enumerate(report.problems, start=1):
        console.print(f"{index}. {problem.environment}: {problem.message}", markup=False)
        console.print(f"   fix: {problem.fix}", markup=False)


def _reachable(env: EnvironmentStatus) -> str:
    return "[green]yes[/green]" if env.reachable else "[red]no[/red]"


def _migrations(env: EnvironmentStatus, label: str) -> str:
    if not env.reachable:
        return "-"
    value = env.migrations_dict()[label]
    if isinstance(value, int):
        return str(value)
    count = len(value)
    if count == 0:
        return "0"
    colour = "red" if label in ("missing_local", "modified") else "yellow"
    return f"[{colour}]{count}[/{colour}]"


def _drift(env: EnvironmentStatus) -> str:
    if not env.reachable:
        return "-"
    if not env.drift.checked:
        return "[yellow]unknown[/yellow]"
    if env.drift.drifted:
        return f"[red]{len(env.drift.changes)} change(s)[/red]"
    return "[green]none[/green]"
