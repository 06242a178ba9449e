"""Median wall time of a whole `pgalign diff FROM TO` process, beside migra when installed.

Starts its own throwaway PostgreSQL server, loads the synthetic schema of gen_schema.py,
and times three cases: identical schemas, empty to full, and a dozen realistic changes.

    .venv/bin/python benchmarks/bench_diff.py                 # 1,000 tables
    .venv/bin/python benchmarks/bench_diff.py --tables 1000 --tables 10000 --runs 3
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import psycopg
from gen_schema import DEFAULT_SEED, Schema, generate
from harness import (
    REPO,
    Timing,
    clear_catalog_cache,
    count_statements,
    load,
    load_average,
    pgalign_executable,
    say,
    start_server,
    time_command,
)

from pgalign.server import TemporaryCluster

MIGRA_VENV = REPO / "benchmarks" / ".venv-migra"
# Exit statuses that mean "ran and reported": pgalign 1 and migra 2 say "differences found".
PGALIGN_OK = frozenset({0, 1})
MIGRA_OK = frozenset({0, 2})


@dataclass(frozen=True)
class Case:
    name: str
    from_url: str
    to_url: str


@dataclass(frozen=True)
class Result:
    tables: int
    case: str
    pgalign: Timing  # warm: the catalog cache holds both databases
    cold: Timing  # the catalog cache emptied before each run
    migra: Timing | None
    phases: dict[str, float] | None = None


Command = Callable[[str, str], list[str]]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tables",
        type=int,
        action="append",
        help="schema size; repeat for several (default 1000; 10000 takes minutes to load)",
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs per case (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs first (default 1)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--pgalign", help="pgalign executable (default: .venv/bin/pgalign)")
    parser.add_argument(
        "--migra", help=f"migra executable (default: {MIGRA_VENV.relative_to(REPO)}/bin/migra)"
    )
    parser.add_argument("--no-migra", action="store_true", help="time pgalign alone")
    parser.add_argument(
        "--phases",
        action="store_true",
        help="also time inspect, diff and render inside one process, once per case",
    )
    return parser.parse_args(argv)


def migra_executable(args: argparse.Namespace) -> str | None:
    if args.no_migra:
        return None
    if args.migra:
        return str(args.migra)
    default = MIGRA_VENV / "bin" / "migra"
    if default.is_file():
        return str(default)
    say(f"migra not found at {default}: timing pgalign alone (see benchmarks/README.md)")
    return None


def prepare_cases(cluster: TemporaryCluster, schema: Schema) -> list[Case]:
    """Four databases: empty, base, a copy of base, and base after the dozen changes."""
    size = schema.scale.tables
    say(f"loading {schema.scale.summary()}")
    empty = cluster.create_database(f"empty_{size}")
    base = cluster.create_database(f"base_{size}")
    load(base, schema.units)
    copy = cluster.create_database(f"copy_{size}", template=f"base_{size}")
    changed = cluster.create_database(f"changed_{size}", template=f"base_{size}")
    load(changed, schema.changes)
    return [
        Case("identical", base, copy),
        Case("empty to full", empty, base),
        Case("dozen changes", base, changed),
    ]


def pgalign_command(executable: str) -> Command:
    return lambda from_url, to_url: [executable, "diff", from_url, to_url]


def migra_command(executable: str) -> Command:
    return lambda from_url, to_url: [executable, "--unsafe", from_url, to_url]


def measure(
    command: Command,
    case: Case,
    args: argparse.Namespace,
    accepted: frozenset[int],
    before_each: Callable[[], object] | None = None,
) -> Timing:
    argv = command(case.from_url, case.to_url)
    timing = time_command(argv, args.runs, args.warmup, accepted=accepted, before_each=before_each)
    if not timing.ok:
        tool = Path(command("", "")[0]).name
        say(f"{tool} failed on {case.name} (exit {timing.returncode}): {timing.stderr.strip()}")
    return timing


def check_convergence(
    cluster: TemporaryCluster, case: Case, command: Command, script: str, tool: str
) -> str:
    """Apply `script` to a copy of the FROM database, then diff that copy against TO."""
    source = psycopg.conninfo.conninfo_to_dict(case.from_url)["dbname"]
    name = f"converge_{tool}_{source}"
    url = cluster.create_database(name, template=str(source))
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(script.encode())
        left = count_statements(time_command(command(url, case.to_url), 1, 0).stdout)
    except psycopg.Error as exc:
        return f"its script fails: {str(exc).strip().splitlines()[0]}"
    finally:
        cluster.drop_database(name)
    return "converges (a second diff is empty)" if left == 0 else f"{left} statement(s) differ"


def bench_size(
    cluster: TemporaryCluster, tables: int, args: argparse.Namespace, migra: str | None
) -> list[Result]:
    cases = prepare_cases(cluster, generate(tables, args.seed))
    pgalign = pgalign_command(pgalign_executable(args.pgalign))
    results: list[Result] = []
    for case in cases:
        say(f"timing {case.name} at {tables} tables")
        cold = measure(pgalign, case, args, PGALIGN_OK, before_each=clear_catalog_cache)
        ours = measure(pgalign, case, args, PGALIGN_OK)
        theirs = measure(migra_command(migra), case, args, MIGRA_OK) if migra else None
        phases = time_phases(case) if args.phases else None
        results.append(Result(tables, case.name, ours, cold, theirs, phases))
        report_convergence(cluster, case, ours, theirs, pgalign, migra)
    return results


def time_phases(case: Case) -> dict[str, float]:
    """Seconds of each step of a diff, in this process (imports already done), with the
    catalog cache off: what a cold run spends."""
    from pgalign.catalog.inspect import inspect
    from pgalign.diff.compare import diff

    os.environ["PGALIGN_NO_CACHE"] = "1"
    phases: dict[str, float] = {}
    started = time.perf_counter()
    before = inspect(case.from_url)
    phases["inspect FROM"] = time.perf_counter() - started
    started = time.perf_counter()
    after = inspect(case.to_url)
    phases["inspect TO"] = time.perf_counter() - started
    started = time.perf_counter()
    plan = diff(before, after)
    phases["diff"] = time.perf_counter() - started
    started = time.perf_counter()
    plan.sql()
    phases["render SQL"] = time.perf_counter() - started
    del os.environ["PGALIGN_NO_CACHE"]
    return phases


def report_convergence(
    cluster: TemporaryCluster,
    case: Case,
    ours: Timing,
    theirs: Timing | None,
    pgalign: Command,
    migra: str | None,
) -> None:
    if case.name == "identical":
        say(
            f"  identical: pgalign printed {statements(ours)} statement(s), "
            f"migra {statements(theirs)}"
        )
        return
    if case.name != "dozen changes":
        return
    if ours.ok:
        verdict = check_convergence(cluster, case, pgalign, ours.stdout, "pgalign")
        say(f"  dozen changes, pgalign: {verdict}")
    if migra and theirs is not None and theirs.ok:
        verdict = check_convergence(cluster, case, migra_command(migra), theirs.stdout, "migra")
        say(f"  dozen changes, migra: {verdict}")


def seconds(timing: Timing | None) -> str:
    if timing is None:
        return "-"
    return "failed" if not timing.ok else f"{timing.median:.3f} s"


def statements(timing: Timing | None) -> str:
    if timing is None:
        return "-"
    return "failed" if not timing.ok else str(count_statements(timing.stdout))


def ratio(migra: Timing | None, ours: Timing) -> str:
    if migra is None or not migra.ok or not ours.ok:
        return "-"
    return f"{migra.median / ours.median:.1f}x"


def print_table(results: Sequence[Result], runs: int) -> None:
    header = (
        f"{'tables':>6}  {'case':<14}  {'cold':>9}  {'warm':>9}  {'migra':>9}  "
        f"{'migra/cold':>10}  {'migra/warm':>10}  {'stmts pgalign':>13}  {'stmts migra':>11}"
    )
    print(
        f"median wall time of a whole process over {runs} run(s); pgalign cold: its catalog"
        " cache emptied before each run, warm: the cache holds both databases"
    )
    print(header)
    print("-" * len(header))
    for result in results:
        print(
            f"{result.tables:>6}  {result.case:<14}  {seconds(result.cold):>9}  "
            f"{seconds(result.pgalign):>9}  {seconds(result.migra):>9}  "
            f"{ratio(result.migra, result.cold):>10}  {ratio(result.migra, result.pgalign):>10}  "
            f"{statements(result.pgalign):>13}  {statements(result.migra):>11}"
        )


def print_startup(args: argparse.Namespace, migra: str | None) -> None:
    """What a process costs before it does any work: interpreter start-up and imports."""
    ours = time_command([pgalign_executable(args.pgalign), "--version"], args.runs, args.warmup)
    line = f"start-up alone (median): pgalign --version {ours.median:.3f} s"
    if migra:
        theirs = time_command([migra, "--help"], args.runs, args.warmup)
        line += f", migra --help {theirs.median:.3f} s"
    print(line)


def print_phases(results: Sequence[Result]) -> None:
    for result in results:
        if result.phases:
            steps = ", ".join(f"{name} {value:.3f} s" for name, value in result.phases.items())
            print(f"in-process, {result.tables} tables, {result.case}: {steps}")


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    migra = migra_executable(args)
    load_before = load_average()
    cluster = start_server()
    try:
        results: list[Result] = []
        for tables in args.tables or [1000]:
            results += bench_size(cluster, tables, args, migra)
    finally:
        cluster.close()
    print_table(results, args.runs)
    print_startup(args, migra)
    print_phases(results)
    print(f"load average: {load_before} before, {load_average()} after")


if __name__ == "__main__":
    main()
