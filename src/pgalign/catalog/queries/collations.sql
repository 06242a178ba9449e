-- User collations; to_jsonb keeps the locale columns that differ between versions.
SELECT n.nspname, quote_ident(n.nspname) AS schema, quote_ident(n.nspname) || '.' || quote_ident(c.collname) AS qualified,
       to_jsonb(c) AS attributes,
       pg_get_userbyid(c.collowner) AS owner,
       obj_description(c.oid, 'pg_collation') AS comment,
       c.oid
  FROM pg_collation c
  JOIN pg_namespace n ON n.oid = c.collnamespace
 WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
   AND NOT EXISTS (SELECT FROM pg_depend e
                    WHERE e.classid = 'pg_collation'::regclass AND e.objid = c.oid
                      AND e.deptype = 'e')
