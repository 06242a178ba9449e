"""What a lint rule is and what it reports."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from pglast import ast

if TYPE_CHECKING:
    from pgalign.lint.context import FileContext


class Severity(StrEnum):
    ERROR = "error"  # makes `pgalign lint` exit 1
    WARNING = "warning"


# A check looks at one top-level statement, knowing what earlier statements of the same
# file did, and yields one message per hazard it finds.
Check = Callable[[ast.Node, "FileContext"], Iterator[str]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    summary: str  # one line: what fires
    check: Check


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    file: str
    line: int  # 1-based line of the statement's first token
    statement: str  # the statement's SQL, without leading comments or semicolon
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def as_dict(self) -> dict[str, str | int]:
        return {
            "rule": self.rule,
            "severity": str(self.severity),
            "file": self.file,
            "line": self.line,
            "statement": self.statement,
            "message": self.message,
        }
