"""The project's embedded server belongs to the project: a new project never finds old data."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pgalign.config import load_project
from pgalign.targets import ROOT_DATA_BASE, local_cluster, server_data_dir
from tests.conftest import execute, query
from tests.helpers import cli
from tests.project_servers import stop_project_servers

AS_ROOT = os.geteuid() == 0


def _start_with_a_table(capsys: pytest.CaptureFixture[str], root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pgalign.toml").write_text('[environments.local]\nurl = "embedded"\n')
    assert cli(capsys, root, "local", "start").code == 0
    execute(local_cluster(load_project(root)).url(), "create table kept (id int)")


def _tables(root: Path) -> list[tuple[object, ...]]:
    url = local_cluster(load_project(root)).url()
    return query(url, "select relname from pg_class where relname = 'kept'")


def test_a_project_made_where_a_deleted_one_was_starts_empty(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = tmp_path / "app"
    _start_with_a_table(capsys, root)
    old_data = server_data_dir(load_project(root), "local")
    assert cli(capsys, root, "local", "stop").code == 0
    shutil.rmtree(root)  # as root the data outlives this: it is under /var/tmp/pgalign
    root.mkdir()
    (root / "pgalign.toml").write_text('[environments.local]\nurl = "embedded"\n')
    assert cli(capsys, root, "local", "start").code == 0
    assert server_data_dir(load_project(root), "local") != old_data
    assert _tables(root) == []


@pytest.mark.skipif(not AS_ROOT, reason="only root's servers keep their data outside .pgalign")
def test_a_copied_project_gets_its_own_server(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = tmp_path / "app"
    _start_with_a_table(capsys, root)
    assert cli(capsys, root, "local", "stop").code == 0
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)  # .pgalign/server-id included
    assert cli(capsys, copy, "local", "start").code == 0
    assert _tables(copy) == []
    assert cli(capsys, root, "local", "start").code == 0
    assert _tables(root) == [("kept",)]


@pytest.mark.skipif(not AS_ROOT, reason="only root's servers keep their data outside .pgalign")
def test_data_made_before_ids_is_kept(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Root's data folders were once named after the project's path: the project keeps its own."""
    import hashlib

    root = tmp_path / "app"
    _start_with_a_table(capsys, root)
    assert cli(capsys, root, "local", "stop").code == 0
    project = load_project(root)
    base = server_data_dir(project, "local").parent.parent
    legacy = ROOT_DATA_BASE / hashlib.sha256(str(root).encode()).hexdigest()[:16]
    base.rename(legacy)
    (legacy / "project").unlink()
    (project.state_dir / "server-id").unlink()
    try:
        assert cli(capsys, root, "local", "start").code == 0
        assert server_data_dir(project, "local").parent.parent == legacy
        assert _tables(root) == [("kept",)]
        # A folder whose server is older than the project's .pgalign was a deleted project's.
        assert cli(capsys, root, "local", "stop").code == 0
        (project.state_dir / "server-id").unlink()
        (legacy / "project").unlink()
        made = (legacy / "local" / "data" / "PG_VERSION").stat().st_mtime
        os.utime(project.state_dir / ".gitignore", (made + 60, made + 60))
        assert cli(capsys, root, "local", "start").code == 0
        assert server_data_dir(project, "local").parent.parent != legacy
        assert _tables(root) == []
    finally:
        stop_project_servers(tmp_path)
        shutil.rmtree(legacy, ignore_errors=True)
