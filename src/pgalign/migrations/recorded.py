"""Migrations as an environment's history recorded them, replayable like files."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

from pgalign.migrations.history import AppliedMigration
from pgalign.migrations.statements import Statement, split_sql


@dataclass(frozen=True)
class RecordedMigration:
    """A history row; its statements are what actually ran in `environment`."""

    row: AppliedMigration
    environment: str

    @property
    def version(self) -> str:
        return self.row.version

    @property
    def name(self) -> str:
        return self.row.name or ""

    @property
    def label(self) -> str:
        return f"{self.environment} history {self.version}_{self.name}"

    @cached_property
    def statements(self) -> list[Statement]:
        # Lines stay those inside each recorded text: the file they came from is not here.
        result: list[Statement] = []
        for text in self.row.statements or ():
            for statement in split_sql(text, self.label):
                result.append(replace(statement, number=len(result) + 1))
        return result

    def recorded_statements(self) -> list[str]:
        return list(self.row.statements or ())
