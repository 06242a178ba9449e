-- User triggers (not internal ones such as foreign keys', nor clones on partitions).
SELECT n.nspname, quote_ident(n.nspname) AS schema, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS table,
       quote_ident(t.tgname) AS name,
       pg_get_triggerdef(t.oid) AS definition,
       t.tgenabled AS enabled,
       dsc.description AS comment,
       fn.nspname AS function_schema,
       t.oid
  FROM pg_trigger t
  JOIN pg_proc p ON p.oid = t.tgfoid
  JOIN pg_namespace fn ON fn.oid = p.pronamespace
  JOIN pg_class c ON c.oid = t.tgrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_description dsc ON dsc.objoid = t.oid
        AND dsc.classoid = 'pg_trigger'::regclass AND dsc.objsubid = 0
 WHERE NOT t.tgisinternal AND t.tgparentid = 0
   AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
   AND NOT EXISTS (SELECT FROM pg_depend e
                    WHERE e.classid = 'pg_trigger'::regclass AND e.objid = t.oid
                      AND e.deptype = 'e')
