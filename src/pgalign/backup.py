"""Schema backups before a push: pg_dump of the schema and of the migration history."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from psycopg import conninfo

from pgalign.catalog.scope import SUPABASE_MANAGED
from pgalign.config import Project
from pgalign.connect import connect
from pgalign.errors import PgalignError
from pgalign.migrations.history import HISTORY_SCHEMA
from pgalign.server import embedded_installation
from pgalign.targets import Target


class BackupFailed(PgalignError):
    """pg_dump could not write the backup; nothing was applied."""


def backup(project: Project, target: Target, now: datetime | None = None) -> Path:
    """Write .pgalign/backups/<env>-<timestamp>.sql: user schemas, and history with its rows."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    folder = project.state_dir / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    name = target.name if target.flag.startswith("--env") else "db-url"  # no URL in file names
    path = folder / f"{_safe(name)}-{stamp}.sql"
    excluded = [f"--exclude-schema={name}" for name in sorted(SUPABASE_MANAGED)]
    schema = _dump(target.url, ["--schema-only", "--no-owner", *excluded])
    with connect(target.url, application_name="pgalign backup") as conn:
        row = conn.execute("SELECT to_regnamespace(%s) IS NOT NULL", (HISTORY_SCHEMA,)).fetchone()
    has_history = bool(row and row[0])
    history = (
        _dump(target.url, ["--no-owner", f"--schema={HISTORY_SCHEMA}"])
        if has_history
        else "-- none yet\n"
    )
    path.write_text(
        f"-- pgalign backup of {target.name} taken {stamp} before push\n"
        f"-- user schemas (structure)\n{schema}\n"
        f"-- migration history (structure and rows)\n{history}",
        encoding="utf-8",
    )
    return path


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)


def _dump(url: str, args: list[str]) -> str:
    params = conninfo.conninfo_to_dict(url)
    password = params.pop("password", None)  # through the environment, not the command line
    env = dict(os.environ)
    if password:
        env["PGPASSWORD"] = str(password)
    tool = embedded_installation().tool("pg_dump")
    done = subprocess.run(
        [str(tool), *args, "-d", conninfo.make_conninfo("", **params)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["unknown error"])[-1]
        if password:
            reason = reason.replace(str(password), "****")
        raise BackupFailed(
            f"backup with pg_dump failed: {reason}", "nothing was applied; fix and retry"
        )
    return done.stdout
