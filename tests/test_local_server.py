"""The project's embedded server belongs to the project: a new project never finds old data."""

from __future__ import annotations

import json
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


def _other_major() -> int | None:
    """A Debian server's major version other than the embedded one's, if one is installed."""
    from pgalign.server import embedded_installation, system_installations

    embedded = embedded_installation().major
    return next((i.major for i in system_installations() if i.major != embedded), None)


def test_stop_stops_every_server_of_the_project(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A replay for another major version starts a shadow server: `local stop` stops it too."""
    from pgalign.shadow import shadow_host
    from pgalign.targets import project_servers

    major = _other_major()
    if major is None:
        pytest.skip("needs Debian's PostgreSQL of another major version than the embedded one")
    root = tmp_path / "app"
    _start_with_a_table(capsys, root)
    project = load_project(root)
    shadow_host(project, set(), major=major)  # what status does for a production of `major`
    servers = project_servers(project)
    assert sorted(servers) == ["local", f"shadow-{major}"]
    assert all(cluster.is_running() for cluster in servers.values())
    status = json.loads(cli(capsys, root, "local", "status", "--json").out)
    assert status["running"] is True
    assert status["shadows"][f"shadow-{major}"]["running"] is True
    result = cli(capsys, root, "local", "stop")
    assert result.code == 0
    assert result.out.splitlines() == ["local: stopped", f"shadow-{major}: stopped"]
    assert not any(cluster.is_running() for cluster in servers.values())
    assert cli(capsys, root, "local", "start").code == 0
    assert _tables(root) == [("kept",)]  # the data stayed


def test_status_creates_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    root = tmp_path / "app"
    root.mkdir()
    (root / "pgalign.toml").write_text('[environments.local]\nurl = "embedded"\n')
    before = set(ROOT_DATA_BASE.iterdir()) if ROOT_DATA_BASE.is_dir() else set()
    status = json.loads(cli(capsys, root, "local", "status", "--json").out)
    assert status["running"] is False
    assert status["shadows"] == {}
    assert not (root / ".pgalign").exists()
    assert (set(ROOT_DATA_BASE.iterdir()) if ROOT_DATA_BASE.is_dir() else set()) == before


def test_stop_no_backup_deletes_the_data(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = tmp_path / "app"
    _start_with_a_table(capsys, root)
    project = load_project(root)
    folder = server_data_dir(project, "local").parent
    result = cli(capsys, root, "local", "stop", "--no-backup")
    assert result.code == 0
    assert result.out.splitlines() == ["local: stopped", f"removed {folder}"]
    assert not folder.exists()
    if AS_ROOT:  # root's folder for the project goes too, and with it the project's id
        assert not folder.parent.exists()
        assert not (project.state_dir / "server-id").exists()
    assert cli(capsys, root, "local", "stop").out == "not running\n"
    assert cli(capsys, root, "local", "start").code == 0
    assert _tables(root) == []
