"""`pgalign demo` stages the seed's misalignment, and following its fixes aligns everything."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pgalign.config import load_project
from pgalign.targets import local_cluster
from tests.alignment_helpers import status_json
from tests.helpers import cli


def test_demo_reports_the_story_and_its_fixes_lead_to_aligned(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = tmp_path / "demo"
    try:
        shown = cli(capsys, tmp_path, "demo", "--dir", str(root))
        assert shown.code == 0, shown.err
        assert "MISALIGNED" in shown.out
        report = status_json(capsys, root)
        migrations = report["environments"]["production"]["migrations"]
        assert len(list((root / "supabase" / "migrations").glob("*.sql"))) == 15
        assert migrations["missing_local"] == ["20231002090000", "20231115120000"]
        assert migrations["applied_by_hand"] == ["20240415090000"]
        assert migrations["pending"] == ["20240415090000", "20240420110000"]
        drift = report["environments"]["production"]["drift"]["changes"]
        assert sorted((c["kind"], c["change"]) for c in drift) == [
            ("index", "added"),
            ("table", "changed"),
        ]
        assert report["environments"]["local"]["drift"]["drifted"] is False
        # Follow the fixes, in order, until status has nothing left to say.
        for _round in range(3):
            if report["aligned"]:
                break
            for problem in report["problems"]:
                command = problem["fix"].split("`")[1].split()[1:]
                writes = command[0] in ("push", "pull") or command[:2] == ["migration", "repair"]
                result = cli(capsys, root, *command, *(["--yes"] if writes else []))
                assert result.code == 0, (command, result.err)
            report = status_json(capsys, root)
        assert report["aligned"] is True, json.dumps(report["problems"], indent=2)
        groups = report["same_schema"]
        assert groups == [["migrations", "local", "production"]]
    finally:
        local_cluster(load_project(root)).stop()
