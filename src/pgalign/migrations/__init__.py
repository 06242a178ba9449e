"""Migration files, their history table, and applying them (Supabase CLI compatible)."""
