"""SQL that prepares a shadow database the way a hosting platform prepares a real one."""

from __future__ import annotations

from importlib.resources import files


def supabase_bootstrap() -> str:
    """Stand-ins for what the Supabase platform provides before any user migration runs."""
    return files(__package__).joinpath("supabase.sql").read_text(encoding="utf-8")
