"""The command line itself: help, version, usage errors, error handling, and a cheap start."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import click
import psycopg
import pytest

from pgalign import __version__
from pgalign.cli import common
from pgalign.cli.app import cli as root
from pgalign.cli.app import run
from tests.conftest import PgServer, execute
from tests.helpers import cli

HEAVY = ("psycopg", "pglast", "rich", "typer", "pydantic")


def command_paths(
    group: click.Group = root, path: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from command_paths(command, (*path, name))


def test_every_command_listed_loads() -> None:
    paths = {" ".join(path) for path in command_paths()}
    assert {"diff", "status", "migration repair", "guard log", "db reset", "local stop"} <= paths
    assert len(paths) == 26


@pytest.mark.parametrize("path", [(), *command_paths()], ids=" ".join)
@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help_on_every_command(
    capsys: pytest.CaptureFixture[str], path: tuple[str, ...], flag: str
) -> None:
    assert run([*path, flag]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith(f"Usage: {' '.join(('pgalign', *path))} ")
    assert "-h, --help" in shown


def test_help_keeps_each_command_summary_whole(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--help"]) == 0
    shown = " ".join(capsys.readouterr().out.split())
    assert (
        "Write a migration capturing the environment's drift and record it as applied there."
        in (shown)
    )
    assert "Exit status: 0 success, 1 problems found (checks, differences), 2 error." in shown


def test_help_shows_arguments_choices_and_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["diff", "-h"]) == 0
    shown = capsys.readouterr().out
    assert "Usage: pgalign diff [OPTIONS] FROM TO" in shown
    assert "Environment name, URL, 'empty' or a .sql file." in shown
    assert "-f, --format [sql|json]" in shown and "[default:" in shown
    assert run(["guard", "log", "--help"]) == 0
    assert "[default: 50; x>=1]" in capsys.readouterr().out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--version"]) == 0
    assert capsys.readouterr().out == f"pgalign {__version__}\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "Usage: pgalign [OPTIONS] COMMAND"),
        (["migration"], "Usage: pgalign migration [OPTIONS] COMMAND"),
        (["nope"], "No such command 'nope'"),
        (["push", "--envv", "staging"], "No such option '--envv'"),
        (["push", "--env"], "Option '--env' requires an argument"),
        (["diff", "empty"], "Missing argument 'TO'"),
        (["diff", "empty", "empty", "-f", "xml"], "'xml' is not one of 'sql', 'json'"),
        (["status", "--format", "html"], "is not one of 'table', 'json', 'markdown', 'junit'"),
        (["migration", "repair", "1"], "Missing option '--status'"),
        (["migration", "repair", "1", "--status", "x"], "'x' is not one of 'applied'"),
        (["guard", "log", "--limit", "0"], "0 is not in the range x>=1"),
        (["guard", "log", "--since", "soon"], "'soon' is neither a duration"),
        (["status", "extra"], "unexpected extra argument (extra)"),
    ],
)
def test_usage_errors_exit_2_on_stderr(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert run(argv) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""
    assert "Traceback" not in captured.err


@pytest.fixture
def failing_project(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[BaseException]]:
    """Loading the project raises whatever the test puts in the list."""
    raised: list[BaseException] = []

    def project() -> object:
        raise raised[0]

    monkeypatch.setattr(common, "project", project)
    yield raised


def test_ctrl_c_is_one_word_and_exit_130(
    capsys: pytest.CaptureFixture[str], failing_project: list[BaseException]
) -> None:
    failing_project.append(KeyboardInterrupt())
    assert run(["lint"]) == 130
    assert capsys.readouterr().err.split() == ["interrupted"]


def test_an_unexpected_database_error_is_one_line_with_exit_2(
    capsys: pytest.CaptureFixture[str], failing_project: list[BaseException]
) -> None:
    failing_project.append(psycopg.OperationalError("server closed the connection\nmore"))
    assert run(["lint"]) == 2
    assert capsys.readouterr().err == "error: database error: server closed the connection\n"


def test_other_exceptions_are_not_swallowed(failing_project: list[BaseException]) -> None:
    failing_project.append(RuntimeError("a bug"))
    with pytest.raises(RuntimeError, match="a bug"):
        run(["lint"])


def _imported_after(*argv: str) -> list[str]:
    """The heavy modules a fresh interpreter has loaded after running the command line."""
    script = (
        "import sys\n"
        "from pgalign.cli.app import run\n"
        f"code = run({list(argv)!r})\n"
        f"print(code, *sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return done.stdout.splitlines()[-1].split()


@pytest.mark.parametrize(
    "argv", [["--version"], ["--help"], ["diff", "--help"], ["migration", "-h"], ["nope"]]
)
def test_help_and_version_import_no_heavy_module(argv: list[str]) -> None:
    code, *heavy = _imported_after(*argv)
    assert heavy == [], f"pgalign {' '.join(argv)} imported {heavy}"
    assert code in ("0", "2")


def test_diff_of_two_urls_needs_neither_pglast_nor_rich(db_factory: PgServer) -> None:
    a, b = db_factory.create_database(), db_factory.create_database()
    execute(b, "create table t (id int);")
    code, *heavy = _imported_after("diff", a, b)
    assert code == "1"
    assert heavy == ["psycopg"]


def test_diff_prints_the_sql_exactly(
    capsys: pytest.CaptureFixture[str], project_dir: Path, db_factory: PgServer
) -> None:
    """No tab expansion, emoji codes or markup: the SQL is printed as the server gives it."""
    a, b = db_factory.create_database(), db_factory.create_database()
    body = "select 'tab:\there, emoji code: :smile:, markup: [red]x[/red]'::text"
    execute(b, f"create function f() returns text language sql as $body$ {body} $body$;")
    result = cli(capsys, project_dir, "diff", a, b)
    assert result.code == 1, result.err
    assert body in result.out
    assert "\x1b[" not in result.out


def test_a_missing_workdir_is_one_line_and_creates_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-project"
    assert run(["--workdir", str(missing), "local", "start"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such directory" in err and str(missing) in err
    assert not missing.exists()


def test_the_console_command_stores_catalogs_from_a_child_and_reads_them_back(
    db_factory: PgServer, tmp_path: Path
) -> None:
    """`pgalign` as a process hands the cache writes to a forked child (it does not wait
    for them); the entries still arrive, whole, and the next run is answered from them."""
    a, b = db_factory.create_database(), db_factory.create_database()
    execute(a, "create table t (id int primary key)")
    execute(b, "create table t (id int primary key, note text)")
    folder = tmp_path / "cache"
    env = {**os.environ, "PGALIGN_CACHE_DIR": str(folder), "NO_COLOR": "1"}
    argv = [sys.executable, "-m", "pgalign", "diff", a, b]
    first = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    assert first.returncode == 1, first.stderr
    assert "ADD COLUMN note text" in first.stdout
    deadline = time.monotonic() + 30
    while len(list(folder.glob("*.catalog"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    entries = sorted(folder.glob("*.catalog"))
    assert len(entries) == 2
    assert not list(folder.glob("*.tmp"))
    # Swapped, the two entries make the next run see each database as the other: it must
    # print the way back, which it can only have read from these files.
    one, other = (path.read_bytes() for path in entries)
    entries[0].write_bytes(other)
    entries[1].write_bytes(one)
    second = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    assert second.returncode == 1, second.stderr
    assert "DROP COLUMN note" in second.stdout


@pytest.mark.parametrize("command", [["diff", "--help"], ["status", "--help"], ["lint", "--help"]])
def test_every_format_option_is_spelled_the_same(
    capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    result = cli(capsys, Path.cwd(), *command)
    assert result.code == 0
    assert "-f, --format" in result.out


def test_a_terminated_command_stops_the_server_it_started(tmp_path: Path) -> None:
    """SIGTERM (`kill`, a CI job's timeout) ends a command as Ctrl-C does: the throwaway
    server a .sql file is loaded into is stopped and its directory removed, exit 143."""
    slow = tmp_path / "slow.sql"
    slow.write_text("create table t (id int); select pg_sleep(300);")
    # the server's own folder goes here (one the server's user may enter when we are root)
    temp = Path(tempfile.mkdtemp(prefix="pgalign-term-"))
    temp.chmod(0o755)
    env = {**os.environ, "TMPDIR": str(temp), "NO_COLOR": "1", "PGALIGN_NO_CACHE": "1"}
    argv = [sys.executable, "-m", "pgalign", "diff", str(slow), "empty"]
    postmaster = 0
    try:
        with subprocess.Popen(
            argv, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        ) as proc:
            deadline = time.monotonic() + 120
            while postmaster <= 0 and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.2)
                # (initdb's bootstrap backend writes the file too, with its pid negated)
                for found in temp.glob("pgalign-*/data/postmaster.pid"):
                    with contextlib.suppress(ValueError, IndexError):
                        postmaster = int(found.read_text().split()[0])
            assert postmaster > 0, proc.communicate()
            time.sleep(1)  # into the load (pg_sleep): past the server's start
            proc.send_signal(signal.SIGTERM)
            _, err = proc.communicate(timeout=120)
        assert proc.returncode == 128 + signal.SIGTERM, err
        assert err.strip() == "terminated"
        assert not list(temp.iterdir())
        assert not _running(postmaster)
    finally:
        if postmaster > 0 and _running(postmaster):  # left by a failure: not by this suite
            with contextlib.suppress(ProcessLookupError):
                os.kill(postmaster, signal.SIGQUIT)
        shutil.rmtree(temp, ignore_errors=True)


def _running(pid: int) -> bool:
    """Whether process `pid` runs: a zombie does not (whoever is pid 1 here may be slow to
    reap the server that pg_ctl left to it)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status
