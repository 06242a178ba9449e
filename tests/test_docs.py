"""Every shell example of the user guide (docs/**/*.md) runs, against real servers.

The convention, also stated in docs/README.md:

- Every ```bash block runs. The blocks of one page run in order, as one bash script with
  `set -euo pipefail`, in a fresh empty project directory, so a page can tell a story
  (variables and `cd` carry over from one block to the next).
- A command line ending in `# exit N` must exit with status N (an error shown on purpose);
  any other failing command fails the page.
- A ```bash block right after a line `<!-- docs-test: skip: <reason> -->` is not run; the
  reason is required. Other fences (```text, ```toml, ```sql, ```yaml) are never run.
- The environment: `pgalign` and `sql URL STATEMENT` (tests/docs_support/bin/sql, a psql
  stand-in) on PATH; STAGING_DATABASE_URL, PRODUCTION_DATABASE_URL and PREVIEW_DATABASE_URL
  (those the page names) are fresh databases on the test server, prepared like Supabase
  projects with pgalign's own Supabase stand-ins; PGALIGN_SHADOW_URL is a server of the
  test server's version (shadow databases go there; one per worker, as pages run a few at
  a time); NO_COLOR=1; no terminal, so protected environments need --yes.
- A page with the line `<!-- docs-test: embedded -->` works on pgalign's embedded server
  (`pgalign demo`, the `local` environment): PGALIGN_SHADOW_URL is left unset, so shadow
  databases go where pgalign puts them by itself, on a server of the environment's major
  version; such a page runs once, not once per server. Every server a page starts is
  stopped, and its data removed, after the page.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from pgalign.bootstrap import supabase_bootstrap
from pgalign.server import TemporaryCluster, find_installations
from tests.conftest import PgServer
from tests.project_servers import stop_project_servers

SERVERS = [inst.label for inst in find_installations()]
ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SUPPORT_BIN = Path(__file__).resolve().parent / "docs_support" / "bin"
VENV_BIN = Path(sys.executable).parent
DATABASE_VARIABLES = ("STAGING_DATABASE_URL", "PRODUCTION_DATABASE_URL", "PREVIEW_DATABASE_URL")
PAGE_TIMEOUT_S = 600
PARALLEL_PAGES = 3
BOOTSTRAP_LOCK = threading.Lock()

EMBEDDED_MARK = "<!-- docs-test: embedded -->"
FENCE = re.compile(r"^```(\S*)\s*$")
SKIP = re.compile(r"^<!--\s*docs-test:\s*skip:\s*(\S.*?)\s*-->\s*$")
EXPECT = re.compile(r"^(?P<command>.*\S)\s+#\s*exit\s+(?P<status>\d+)\s*$")


@dataclass(frozen=True)
class Block:
    line: int  # of the opening fence, 1-based
    text: str


def shell_blocks(markdown: str) -> list[Block]:
    """The ```bash blocks of a page, in order, without those marked to be skipped."""
    blocks: list[Block] = []
    lines = markdown.splitlines()
    index = 0
    while index < len(lines):
        match = FENCE.match(lines[index])
        if match is None:
            index += 1
            continue
        language, start = match.group(1), index
        end = start + 1
        while end < len(lines) and lines[end].strip() != "```":
            end += 1
        skipped = start > 0 and SKIP.match(lines[start - 1]) is not None
        if language == "bash" and not skipped:
            blocks.append(Block(start + 1, "\n".join(lines[start + 1 : end])))
        index = end + 1
    return blocks


def expect_line(line: str, where: str) -> str:
    """A command marked `# exit N`, rewritten to check that it exits with exactly N."""
    match = EXPECT.match(line)
    if match is None:
        return line
    command, status = match.group("command"), match.group("status")
    quoted = where.replace("'", "")
    return (
        f"__rc=0; {{ {command} ; }} || __rc=$?; "
        f'if [ "$__rc" != {status} ]; then '
        f"echo 'docs-test: {quoted}: expected exit {status}, got '\"$__rc\" >&2; exit 99; fi"
    )


def page_script(path: Path) -> str:
    """One bash script running every block of the page in order."""
    parts = ["set -euo pipefail"]
    for block in shell_blocks(path.read_text(encoding="utf-8")):
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
        where = f"{shown}:{block.line}"
        parts.append(f"echo '>>> {where}' >&2")
        body = block.text.splitlines()
        for offset, line in enumerate(body, start=1):
            parts.append(expect_line(line, f"{where} (+{offset})"))
    return "\n".join(parts) + "\n"


def doc_pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if shell_blocks(p.read_text(encoding="utf-8")))


def supabase_like_database(server: PgServer) -> str:
    """A fresh database with the roles and schemas a Supabase project starts with."""
    url = server.create_database()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(supabase_bootstrap())  # type: ignore[arg-type]
    return url


def run_page(
    path: Path, server: PgServer, workdir: Path, shadow_url: str
) -> subprocess.CompletedProcess[str]:
    text = path.read_text(encoding="utf-8")
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(SUPPORT_BIN), str(VENV_BIN), os.environ.get("PATH", "")]),
        "NO_COLOR": "1",
        # Every page starts pgalign a few dozen times: keep its bytecode, out of the tree.
        "PYTHONPYCACHEPREFIX": str(Path(tempfile.gettempdir()) / "pgalign-docs-pycache"),
        "COLUMNS": "100",
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PGALIGN_SHADOW_URL", None)
    if EMBEDDED_MARK not in text:
        env["PGALIGN_SHADOW_URL"] = shadow_url
    for variable in DATABASE_VARIABLES:
        env.pop(variable, None)
        if variable in text:
            with BOOTSTRAP_LOCK:  # the stand-ins' roles are cluster-wide: one at a time
                env[variable] = supabase_like_database(server)
    try:
        return subprocess.run(
            ["bash", "-c", page_script(path)],
            cwd=workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=PAGE_TIMEOUT_S,
            check=False,
        )
    finally:
        stop_project_servers(workdir)


def runs_on(page: Path, server: str) -> bool:
    """Pages on the embedded server alone run once, with the first test server."""
    return EMBEDDED_MARK not in page.read_text(encoding="utf-8") or server == SERVERS[0]


def run_in_fresh_directory(
    page: Path, server: PgServer, shadow_url: str
) -> subprocess.CompletedProcess[str]:
    workdir = Path(tempfile.mkdtemp(prefix="pgalign-docs-"))
    try:
        return run_page(page, server, workdir, shadow_url)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def shadow_servers(server: PgServer, count: int) -> Iterator[list[str]]:
    """A server of the test server's version per worker, for its shadow databases.

    The Supabase stand-ins create and alter cluster-wide roles; two pages bootstrapping
    shadows on one server at the same moment would collide on them. Pages in one worker
    run one after another, so each shadow server has one user at a time.
    """
    installation = next((i for i in find_installations() if i.label == server.label), None)
    if installation is None or count < 2:  # an external server: one worker, on it
        yield [server.admin_url]
        return
    with ExitStack() as stack:
        clusters = [TemporaryCluster(installation, "docs") for _ in range(count)]
        for cluster in clusters:
            stack.callback(cluster.close)
        with ThreadPoolExecutor(count) as pool:
            list(pool.map(lambda cluster: cluster.start(), clusters))
        yield [cluster.url() for cluster in clusters]


@pytest.fixture(scope="module")
def page_runs(pg: PgServer) -> Iterator[dict[Path, subprocess.CompletedProcess[str]]]:
    """Every page that runs on this server, a few at once, each in its own directory with
    its own databases: the waiting is on servers and process start-up, not on one core."""
    pages = [page for page in doc_pages() if runs_on(page, pg.label)]
    try:
        with shadow_servers(pg, PARALLEL_PAGES) as urls:
            free: queue.Queue[str] = queue.Queue()
            for url in urls:
                free.put(url)

            def run(page: Path) -> subprocess.CompletedProcess[str]:
                shadow_url = free.get()
                try:
                    return run_in_fresh_directory(page, pg, shadow_url)
                finally:
                    free.put(shadow_url)

            with ThreadPoolExecutor(len(urls)) as pool:
                done = list(pool.map(run, pages))
        yield dict(zip(pages, done, strict=True))
    finally:
        pg.drop_databases()


@pytest.mark.parametrize("page", doc_pages(), ids=lambda p: str(p.relative_to(DOCS)))
def test_doc_page_examples_run(
    page: Path, pg: PgServer, page_runs: dict[Path, subprocess.CompletedProcess[str]]
) -> None:
    if not runs_on(page, pg.label):
        pytest.skip("uses only the embedded server: run once, with the first server")
    done = page_runs[page]
    assert done.returncode == 0, (
        f"{page.relative_to(ROOT)}: exit {done.returncode}\n"
        f"--- stdout\n{done.stdout[-6000:]}\n--- stderr\n{done.stderr[-6000:]}"
    )


def test_shell_blocks_and_exit_markers_are_read_as_documented(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "text\n```bash\necho one\nfalse  # exit 1\n```\n"
        "<!-- docs-test: skip: needs a GitHub runner -->\n```bash\nexit 3\n```\n"
        "```text\nnot run\n```\n```bash\necho two\n```\n",
        encoding="utf-8",
    )
    blocks = shell_blocks(page.read_text(encoding="utf-8"))
    assert [b.line for b in blocks] == [2, 13]
    assert "echo '>>> page.md:13' >&2" in page_script(page)
    checked = expect_line("false  # exit 1", "page.md:2")
    ok = subprocess.run(
        ["bash", "-c", f"set -euo pipefail\n{checked}\necho after"], capture_output=True, text=True
    )
    assert ok.returncode == 0 and ok.stdout == "after\n"
    wrong = subprocess.run(
        ["bash", "-c", f"set -euo pipefail\n{expect_line('true # exit 2', 'x')}"],
        capture_output=True,
        text=True,
    )
    assert wrong.returncode == 99 and "expected exit 2, got 0" in wrong.stderr


LINK = re.compile(r"\]\(([^)\s]+)\)")


def heading_anchors(markdown: str) -> set[str]:
    """GitHub's anchors for the headings of a page."""
    anchors = set()
    for line in markdown.splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            title = re.sub(r"[^\w\- ]", "", title)
            anchors.add(title.replace(" ", "-"))
    return anchors


def test_links_between_pages_resolve() -> None:
    broken = []
    for page in sorted(DOCS.rglob("*.md")):
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            path, _, anchor = target.partition("#")
            resolved = (page.parent / path).resolve() if path else page
            if not resolved.exists():
                broken.append(f"{page.relative_to(ROOT)}: {target} (no such file)")
            elif (
                anchor
                and resolved.suffix == ".md"
                and anchor not in heading_anchors(resolved.read_text(encoding="utf-8"))
            ):
                broken.append(f"{page.relative_to(ROOT)}: {target} (no such heading)")
    assert not broken, "\n".join(broken)
