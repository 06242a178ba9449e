"""pgalign: keep PostgreSQL and Supabase databases aligned across environments."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["diff", "inspect"]

if TYPE_CHECKING:
    from pgalign.catalog.inspect import inspect
    from pgalign.diff.compare import diff


def __getattr__(name: str) -> Any:
    # Imported on first use so that `import pgalign` (and every CLI start) stays cheap.
    if name == "inspect":
        from pgalign.catalog.inspect import inspect

        return inspect
    if name == "diff":
        from pgalign.diff.compare import diff

        return diff
    raise AttributeError(f"module 'pgalign' has no attribute {name!r}")
