"""Compare two catalogs and plan the statements that turn one into the other."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pgalign.diff.plan import Change, Hazard, Plan, Statement

__all__ = ["Change", "Hazard", "Plan", "Statement", "diff"]

if TYPE_CHECKING:
    from pgalign.diff.compare import diff


def __getattr__(name: str) -> Any:
    # The differ is imported on first use: `pgalign.diff.plan` alone stays cheap (a diff
    # of two databases known to be equal needs no more than an empty Plan).
    if name == "diff":
        from pgalign.diff.compare import diff

        return diff
    raise AttributeError(f"module 'pgalign.diff' has no attribute {name!r}")
