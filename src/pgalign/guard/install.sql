-- pgalign guard: records DDL not run by pgalign (see `pgalign guard --help`).
-- Run in one transaction by `pgalign guard install`; every statement is idempotent.
-- The event triggers themselves are created by pgalign after this script.

CREATE SCHEMA IF NOT EXISTS pgalign_guard;
COMMENT ON SCHEMA pgalign_guard IS
    'pgalign guard: a log of DDL not run by pgalign; remove with `pgalign guard uninstall`';
REVOKE ALL ON SCHEMA pgalign_guard FROM PUBLIC;

CREATE TABLE IF NOT EXISTS pgalign_guard.ddl_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT statement_timestamp(),
    login_role text NOT NULL,          -- session_user: who logged in
    acting_role text NOT NULL,         -- the role after SET ROLE (session_user when none)
    application_name text,
    client_addr inet,
    backend_pid integer,
    txid bigint,
    event text NOT NULL,               -- ddl_command_end or sql_drop
    command_tag text NOT NULL,         -- CREATE TABLE, ALTER POLICY, DROP INDEX...
    object_type text,                  -- table, index, policy, function...
    object_identity text,              -- as pg_event_trigger_ddl_commands() prints it
    schema_name text,
    statement text                     -- current_query(): the whole text the client sent
);
CREATE INDEX IF NOT EXISTS ddl_log_object_identity ON pgalign_guard.ddl_log (object_identity, id);
CREATE INDEX IF NOT EXISTS ddl_log_at ON pgalign_guard.ddl_log (at);
REVOKE ALL ON pgalign_guard.ddl_log FROM PUBLIC;

-- SECURITY DEFINER, so DDL by any role is recorded in a table only the installer owns.
-- It never raises: a guard must not make anyone's DDL fail.
CREATE OR REPLACE FUNCTION pgalign_guard.record_ddl()
RETURNS event_trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $guard$
DECLARE
    app text;
    acting text;
BEGIN
    BEGIN
        app := coalesce(current_setting('application_name', true), '');
        IF starts_with(app, 'pgalign') THEN
            RETURN;  -- pgalign's own connections: push, pull, repair...
        END IF;
        -- Inside a SECURITY DEFINER function current_user is the owner; the role GUC still
        -- holds what the session SET ROLE to.
        acting := coalesce(nullif(current_setting('role', true), 'none'), session_user::text);
        IF TG_EVENT = 'sql_drop' THEN
            INSERT INTO pgalign_guard.ddl_log (
                login_role, acting_role, application_name, client_addr, backend_pid, txid,
                event, command_tag, object_type, object_identity, schema_name, statement)
            SELECT session_user, acting, app, inet_client_addr(), pg_backend_pid(),
                   txid_current(), TG_EVENT, TG_TAG, d.object_type, d.object_identity,
                   d.schema_name, current_query()
            FROM pg_event_trigger_dropped_objects() AS d
            WHERE NOT d.is_temporary
              -- what went with the dropped object automatically (indexes, policies,
              -- triggers, constraints, owned sequences) is drift too; its internal parts
              -- (row and array types, toast, column defaults) are not
              AND (d.original OR d.normal
                   OR (d.object_type NOT IN ('type', 'default value', 'toast table')
                       AND coalesce(d.schema_name, '') NOT LIKE 'pg\_toast%'))
              -- a view's own rewrite rule, reported beside the view by older servers
              AND NOT (d.object_type = 'rule' AND NOT d.original
                       AND starts_with(d.object_identity, '"_RETURN" on '))
              AND d.schema_name IS DISTINCT FROM 'pgalign_guard'
              AND NOT (d.object_type = 'schema' AND d.object_identity = 'pgalign_guard');
        ELSE
            INSERT INTO pgalign_guard.ddl_log (
                login_role, acting_role, application_name, client_addr, backend_pid, txid,
                event, command_tag, object_type, object_identity, schema_name, statement)
            SELECT session_user, acting, app, inet_client_addr(), pg_backend_pid(),
                   txid_current(), TG_EVENT, c.command_tag, c.object_type, c.object_identity,
                   c.schema_name, current_query()
            FROM pg_event_trigger_ddl_commands() AS c
            WHERE NOT c.in_extension
              AND c.schema_name IS DISTINCT FROM 'pgalign_guard'
              AND coalesce(c.schema_name, '') NOT LIKE 'pg\_temp%'
              AND NOT (c.object_type = 'schema' AND c.object_identity = 'pgalign_guard');
        END IF;
    EXCEPTION WHEN OTHERS THEN
        -- Give up quietly; the server log says why.
        RAISE LOG 'pgalign guard could not record %: % (%)', TG_TAG, SQLERRM, SQLSTATE;
    END;
END
$guard$;
REVOKE ALL ON FUNCTION pgalign_guard.record_ddl() FROM PUBLIC;
