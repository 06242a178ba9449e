"""docs/lint-rules.md documents exactly the rules the linter has, with their severity."""

from __future__ import annotations

from pathlib import Path

from pgalign.lint import RULES

DOC = Path(__file__).resolve().parents[2] / "docs" / "lint-rules.md"


def _documented() -> dict[str, str]:
    """rule id -> severity, from the rows of the rules table."""
    rows: dict[str, str] = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0].startswith("`"):
            rows[cells[0].strip("`")] = cells[1]
    return rows


def test_docs_list_every_rule_with_its_severity() -> None:
    assert _documented() == {rule.id: str(rule.severity) for rule in RULES}
