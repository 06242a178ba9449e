"""Compare two catalogs and plan the statements that turn one into the other."""

from pgalign.diff.compare import diff
from pgalign.diff.plan import Change, Hazard, Plan, Statement

__all__ = ["Change", "Hazard", "Plan", "Statement", "diff"]
