"""What both benchmarks share: a throwaway server, loading SQL, timing whole processes."""

from __future__ import annotations

import atexit
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import psycopg
from pglast import split

from pgalign.server import TemporaryCluster, embedded_installation
from pgalign.sql import ident

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "bench"
UNITS_PER_BATCH = 100  # one transaction each: 10,000 tables at once exhaust the lock table


@dataclass(frozen=True)
class Timing:
    """Wall times of one command line run several times, and what its last run printed."""

    seconds: list[float]
    stdout: str
    stderr: str
    returncode: int
    accepted: frozenset[int] = frozenset({0})

    @property
    def ok(self) -> bool:
        """Whether the last run exited with a status that means it did its job."""
        return self.returncode in self.accepted

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def start_server() -> TemporaryCluster:
    """A fresh embedded PostgreSQL server in a temporary directory; close() removes it."""
    cluster = TemporaryCluster(embedded_installation(), PASSWORD)
    cluster.start()
    return cluster


def pgalign_executable(given: str | None) -> str:
    """`given`, else the repository's virtualenv's pgalign, else the one on PATH; its
    bytecode compiled, as an installed package's is."""
    found = given or _default_pgalign()
    compile_bytecode(found)
    return found


def _default_pgalign() -> str:
    local = REPO / ".venv" / "bin" / "pgalign"
    if local.is_file():
        return str(local)
    found = shutil.which("pgalign")
    if found is None:
        sys.exit("pgalign is not installed: pip install -e . (or pass --pgalign PATH)")
    return found


def compile_bytecode(executable: str) -> None:
    """Write the .pyc files of the package behind `executable`'s pgalign.

    pip compiles a package when it installs it, and Python caches an editable install's
    bytecode on its first run, unless PYTHONDONTWRITEBYTECODE is set (as on some CI
    machines). Timed without them, every pgalign run would compile its own source first
    (about 50 ms) while migra, installed by pip, would not."""
    with open(executable, "rb") as script:
        first = script.readline()
    python = first[2:].decode().strip() if first.startswith(b"#!") else sys.executable
    if not Path(python.split()[0]).name.startswith("python"):
        say(f"{executable} is not a Python script: timed without compiling its bytecode")
        return
    code = (
        "import compileall, os, pgalign\n"
        "compileall.compile_dir(os.path.dirname(pgalign.__file__), quiet=1)"
    )
    subprocess.run([python, "-c", code], check=True)


def load(url: str, units: Iterable[Sequence[str]]) -> None:
    """Run `units` of statements in order, UNITS_PER_BATCH units per transaction."""
    batch: list[str] = []
    with psycopg.connect(url, autocommit=True) as conn:
        for count, unit in enumerate(units, start=1):
            batch += unit
            if count % UNITS_PER_BATCH == 0:
                run_script(conn, batch)
                batch = []
        run_script(conn, batch)


def run_script(conn: psycopg.Connection[tuple[object, ...]], statements: Sequence[str]) -> None:
    """Statements sent as one simple query: one round trip, one implicit transaction."""
    if statements:
        conn.execute(";\n".join(statements).encode())


def drop_databases_like(admin_url: str, pattern: str) -> int:
    """Drop every database whose name is LIKE `pattern`; how many were dropped."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", (pattern,)
        ).fetchall()
        for (name,) in rows:
            conn.execute(f"DROP DATABASE {ident(name)} WITH (FORCE)".encode())
    return len(rows)


def time_command(
    argv: Sequence[str],
    runs: int,
    warmup: int = 1,
    cwd: Path | None = None,
    before_each: Callable[[], object] | None = None,
    accepted: frozenset[int] = frozenset({0}),
) -> Timing:
    """Wall times of `runs` whole processes (interpreter start-up included) after `warmup`
    untimed ones; `before_each` runs, untimed, before every one of them."""
    seconds: list[float] = []
    done = None
    for attempt in range(warmup + runs):
        wait_for_leftovers(argv[0])
        if before_each is not None:
            before_each()
        started = time.perf_counter()
        done = subprocess.run(
            argv, capture_output=True, text=True, cwd=cwd, env=quiet_environment(), check=False
        )
        if attempt >= warmup:
            seconds.append(time.perf_counter() - started)
    assert done is not None
    return Timing(seconds, done.stdout, done.stderr, done.returncode, accepted)


def wait_for_leftovers(executable: str, timeout_s: float = 10.0) -> None:
    """Wait until no process runs `executable` any more.

    pgalign's console process hands its cache entries to forked children as it exits;
    they write for a tenth of a second after it. Each timed run starts once they are done,
    rather than sharing the two cores with them (and a cold run clears the cache only
    after the last entry has landed). Reads /proc: elsewhere it does not wait."""
    wanted = executable.encode()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                if wanted in cmdline.read_bytes().split(b"\0"):
                    break
            except OSError:  # the process ended while we looked
                continue
        else:
            return
        time.sleep(0.01)


def count_statements(sql: str) -> int:
    """Statements in a script, split by PostgreSQL's own parser (dollar quotes and all)."""
    if not sql.strip():
        return 0
    try:
        return len(split(sql, with_parser=True))
    except Exception:  # not SQL we can parse: count statement terminators instead
        return sum(1 for line in sql.splitlines() if line.rstrip().endswith(";"))


# pgalign's catalog cache for the timed processes: the benchmarks' own, never the user's.
CACHE_DIR = Path(tempfile.mkdtemp(prefix="pgalign-bench-cache-"))
atexit.register(shutil.rmtree, CACHE_DIR, True)


def clear_catalog_cache() -> None:
    """Forget every catalog pgalign stored: its next run inspects from scratch (cold)."""
    for entry in CACHE_DIR.iterdir():
        entry.unlink()


def quiet_environment() -> dict[str, str]:
    """Our environment, without colour codes in what the tools print."""
    env = dict(os.environ)
    env["NO_COLOR"] = "1"
    env["PGALIGN_CACHE_DIR"] = str(CACHE_DIR)
    return env


def load_average() -> str:
    """The machine's 1, 5 and 15 minute load averages and its core count, for the record."""
    averages = " ".join(f"{value:.2f}" for value in os.getloadavg())
    return f"{averages} on {os.cpu_count()} cores"
