SELECT quote_ident(t.evtname) AS name, t.evtevent AS event,
       fn.nspname AS function_schema,
       quote_ident(fn.nspname) || '.' || quote_ident(p.proname) AS function,
       coalesce(t.evttags, '{}') AS tags, t.evtenabled AS enabled,
       pg_get_userbyid(t.evtowner) AS owner,
       obj_description(t.oid, 'pg_event_trigger') AS comment,
       t.oid
  FROM pg_event_trigger t
  JOIN pg_proc p ON p.oid = t.evtfoid
  JOIN pg_namespace fn ON fn.oid = p.pronamespace
 WHERE NOT EXISTS (SELECT FROM pg_depend e
                    WHERE e.classid = 'pg_event_trigger'::regclass AND e.objid = t.oid
                      AND e.deptype = 'e')
