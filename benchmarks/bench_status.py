"""Median wall time of a whole `pgalign status --format json` process, warm and cold cache.

Generates a project of 100 migrations (the synthetic schema of gen_schema.py cut into 99
files, then its dozen changes as the last one) and three environments: databases local,
staging and production on one throwaway server, all migrated, production with drift.

warm: the shadow replay is cached as a template database (the usual case).
cold: every cached template (`pgalign_tpl_%`) is dropped before each run, so status
      replays all 100 migrations.

Measured twice: with `shadow_url` set to the throwaway server, and without it (the shadow
then lives on the project's own embedded server under .pgalign/, started on first use).

    .venv/bin/python benchmarks/bench_status.py
    .venv/bin/python benchmarks/bench_status.py --tables 200 --migrations 100 --runs 5
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from gen_schema import DEFAULT_SEED, Unit, generate
from harness import (
    Timing,
    clear_catalog_cache,
    drop_databases_like,
    load_average,
    pgalign_executable,
    say,
    start_server,
    time_command,
)

from pgalign.config import load_project
from pgalign.server import TemporaryCluster
from pgalign.targets import local_cluster

ENVIRONMENTS = ("local", "staging", "production")
DRIFTED = "production"
TEMPLATES = "pgalign_tpl_%"
FIRST_VERSION = datetime(2025, 1, 6, 9, 0, 0, tzinfo=UTC)
# Its first status initialises and starts the project's embedded server, then replays.
FIRST_WITH_SERVER = "first run"
STATUS_OK = frozenset({0})  # status exits 0 whatever it finds
DRIFT = (
    "ALTER TABLE t_00003 ADD COLUMN hotfix_note text",
    "CREATE INDEX t_00003_hotfix_idx ON t_00003 (c_created)",
)


@dataclass(frozen=True)
class Row:
    label: str
    timing: Timing


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=200, help="schema size (default 200)")
    parser.add_argument("--migrations", type=int, default=100, help="default 100")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per case (default 5)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--pgalign", help="pgalign executable (default: .venv/bin/pgalign)")
    return parser.parse_args(argv)


def chunks(units: Sequence[Unit], count: int) -> list[list[Unit]]:
    """`units` cut into `count` consecutive, nearly equal pieces."""
    size, extra = divmod(len(units), count)
    pieces: list[list[Unit]] = []
    start = 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        pieces.append(list(units[start:end]))
        start = end
    return pieces


def migration_texts(tables: int, migrations: int, seed: int) -> list[str]:
    """The schema in `migrations - 1` files, then a file with the dozen changes."""
    schema = generate(tables, seed)
    pieces = [*chunks(schema.units, migrations - 1), schema.changes]
    return ["".join(statement + ";\n" for unit in piece for statement in unit) for piece in pieces]


def write_migrations(folder: Path, texts: Sequence[str]) -> None:
    folder.mkdir(parents=True)
    for number, text in enumerate(texts, start=1):
        version = (FIRST_VERSION + timedelta(hours=number)).strftime("%Y%m%d%H%M%S")
        (folder / f"{version}_step_{number:03d}.sql").write_text(text, encoding="utf-8")


def write_config(root: Path, urls: dict[str, str], shadow_url: str | None) -> None:
    lines = ['migrations_dir = "migrations"']
    if shadow_url:
        lines.append(f'shadow_url = "{shadow_url}"')
    for name, url in urls.items():
        lines += ["", f"[environments.{name}]", f'url = "{url}"']
        if name == DRIFTED:
            lines.append("protected = true")
    (root / "pgalign.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_project(
    root: Path, texts: Sequence[str], urls: dict[str, str], shadow: str | None
) -> Path:
    root.mkdir(parents=True)
    write_migrations(root / "migrations", texts)
    write_config(root, urls, shadow)
    return root


def migrate_environments(cluster: TemporaryCluster, project: Path, pgalign: str) -> None:
    """Push every migration to local; staging and production are copies; production drifts."""
    first, *others = ENVIRONMENTS
    cluster.create_database(first)
    push = time_command([pgalign, "push", "--env", first, "--yes"], 1, 0, cwd=project)
    if not push.ok:
        raise SystemExit(f"pgalign push failed: {push.stderr.strip()}")
    for name in others:
        cluster.create_database(name, template=first)
    with psycopg.connect(cluster.url(DRIFTED), autocommit=True) as conn:
        for statement in DRIFT:
            conn.execute(statement.encode())


def verdict(timing: Timing) -> str:
    """What the last run's report says, checked against what the setup made: drift in
    production only, every environment's drift checked, the migrations replayed."""
    if not timing.ok:
        return f"failed (exit {timing.returncode}): {timing.stderr.strip()}"
    report = json.loads(timing.stdout)
    drifted = sorted(
        name for name, env in report["environments"].items() if env["drift"]["drifted"]
    )
    unchecked = sorted(
        name for name, env in report["environments"].items() if not env["drift"]["checked"]
    )
    codes = sorted({problem["code"] for problem in report["problems"]})
    expected = drifted == [DRIFTED] and not unchecked and codes == ["drift"]
    found = f"drifted {drifted}, unchecked {unchecked}, problems {codes}"
    return ("as expected: " if expected else "UNEXPECTED: ") + found


def time_status(
    project: Path, pgalign: str, runs: int, shadow_server: Callable[[], str], first: str | None
) -> list[Row]:
    """Warm runs, then runs each after dropping the caches; before them, when `first` names
    it, the project's first status timed on its own.

    `shadow_server` gives the admin URL of the shadow server, once a first run started it.
    JSON output, so that each mode's last report can be checked.
    """
    argv = [pgalign, "status", "--format", "json"]
    rows = [Row(first, time_command(argv, 1, 0, cwd=project, accepted=STATUS_OK))] if first else []
    warm = time_command(argv, runs, 1, cwd=project, accepted=STATUS_OK)
    admin_url = shadow_server()
    dropped: list[int] = []

    def drop_cache() -> None:
        # cold: no replay cached, and no catalog of any database either
        dropped.append(drop_databases_like(admin_url, TEMPLATES))
        clear_catalog_cache()

    cold = time_command(argv, runs, 0, cwd=project, before_each=drop_cache, accepted=STATUS_OK)
    say(f"  cached templates dropped before each cold run: {dropped}")
    rows += [Row("warm", warm), Row("cold", cold)]
    for row in rows:
        say(f"  {row.label}: {verdict(row.timing)}")
    return rows


def embedded_shadow_url(project: Path) -> str:
    """The admin URL of the project's own embedded server (running after its first status)."""
    return local_cluster(load_project(project)).url()


def stop_embedded_server(project: Path, pgalign: str) -> None:
    time_command([pgalign, "local", "stop"], 1, 0, cwd=project)


def print_rows(title: str, rows: Sequence[Row]) -> None:
    print(title)
    for row in rows:
        runs = len(row.timing.seconds)
        value = f"{row.timing.median:.3f} s" if row.timing.ok else "failed"
        spread = ", ".join(f"{second:.2f}" for second in row.timing.seconds)
        print(f"  {row.label:<10} {value:>9}   (median of {runs}: {spread})")


def run(cluster: TemporaryCluster, workspace: Path, args: argparse.Namespace) -> None:
    pgalign = pgalign_executable(args.pgalign)
    texts = migration_texts(args.tables, args.migrations, args.seed)
    urls = {name: cluster.url(name) for name in ENVIRONMENTS}
    say(f"project: {len(texts)} migrations building {generate(args.tables).scale.summary()}")
    shared = make_project(workspace / "with-shadow-url", texts, urls, cluster.url())
    own = make_project(workspace / "embedded-shadow", texts, urls, None)
    migrate_environments(cluster, shared, pgalign)
    say("timing status with shadow_url (the throwaway server)")
    with_url = time_status(shared, pgalign, args.runs, cluster.url, None)
    say("timing status without shadow_url (the project's embedded server under .pgalign/)")
    try:
        without_url = time_status(
            own, pgalign, args.runs, lambda: embedded_shadow_url(own), FIRST_WITH_SERVER
        )
    finally:
        stop_embedded_server(own, pgalign)
    print(f"pgalign status, {len(texts)} migrations, 3 environments (1 drifted), whole process")
    print_rows("shadow_url = the environments' server:", with_url)
    print_rows("no shadow_url (project's embedded server):", without_url)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    load_before = load_average()
    workspace = Path(tempfile.mkdtemp(prefix="pgalign-bench-status-"))
    cluster = start_server()
    try:
        run(cluster, workspace, args)
    finally:
        cluster.close()
        shutil.rmtree(workspace, ignore_errors=True)
    print(f"load average: {load_before} before, {load_average()} after")


if __name__ == "__main__":
    main()
