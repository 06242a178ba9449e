"""SQL that prepares a shadow database the way a hosting platform prepares a real one."""

from __future__ import annotations

from importlib.resources import files


def _read(name: str) -> str:
    return files(__package__).joinpath(name).read_text(encoding="utf-8")


def supabase_roles() -> str:
    """Supabase's roles, their grants on public, default privileges and the realtime publication."""
    return _read("supabase_roles.sql")


def supabase_bootstrap() -> str:
    """Stand-ins for what the Supabase platform provides before any user migration runs."""
    return supabase_roles() + "\n" + _read("supabase_platform.sql")
