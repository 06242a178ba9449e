"""pgalign: keep PostgreSQL and Supabase databases aligned across environments."""

__version__ = "0.1.0"
