-- Cannot run inside a transaction: pgalign runs it on its own.
create index concurrently profiles_created_at on public.profiles (created_at);
