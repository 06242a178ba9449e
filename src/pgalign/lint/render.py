"""Findings as JSON and as GitHub Actions workflow commands (annotations on the diff)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pgalign.lint.model import Finding


def json_document(findings: Iterable[Finding]) -> dict[str, Any]:
    return {"findings": [finding.as_dict() for finding in findings]}


def github_command(finding: Finding) -> str:
    """`::error file=...,line=...,title=<rule>::message` (`::warning` for warnings)."""
    properties = {"file": finding.file, "line": str(finding.line), "title": finding.rule}
    listed = ",".join(f"{key}={_escape_property(value)}" for key, value in properties.items())
    return f"::{finding.severity} {listed}::{_escape_data(finding.message)}"


# The escaping GitHub's runner undoes (actions/toolkit, command.ts).
def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
