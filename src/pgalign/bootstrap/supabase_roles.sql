-- pgalign's Supabase compatibility bootstrap.
-- Minimal stand-ins for the roles, schemas, tables and functions the Supabase platform
-- creates before any user migration runs, so that migrations referencing auth.users,
-- auth.uid() or storage.objects, or granting to authenticated, replay on plain PostgreSQL.
-- Objects in auth, storage and extensions are platform-managed: pgalign does not diff them
-- (except user policies and triggers on their tables). For a faithful copy of a real
-- project's platform schemas use `pgalign platform snapshot`.

DO $roles$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['anon', 'authenticated', 'service_role', 'supabase_admin',
                           'supabase_auth_admin', 'supabase_storage_admin', 'dashboard_user']
  LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN NOINHERIT', r);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL;  -- another session created it first: roles are cluster-wide
      END;
    END IF;
  END LOOP;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticator') THEN
    BEGIN
      CREATE ROLE authenticator NOINHERIT NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
  END IF;
  IF NOT (SELECT rolbypassrls FROM pg_roles WHERE rolname = 'service_role') THEN
    ALTER ROLE service_role BYPASSRLS;
  END IF;
  FOREACH r IN ARRAY ARRAY['anon', 'authenticated', 'service_role'] LOOP
    IF NOT pg_has_role('authenticator', r, 'MEMBER') THEN
      EXECUTE format('GRANT %I TO authenticator', r);
    END IF;
  END LOOP;
END
$roles$;

GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;

-- Supabase grants the API roles everything in public by default; RLS does the rest.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON FUNCTIONS TO anon, authenticated, service_role;

DO $publication$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'supabase_realtime') THEN
    CREATE PUBLICATION supabase_realtime;
  END IF;
END
$publication$;
