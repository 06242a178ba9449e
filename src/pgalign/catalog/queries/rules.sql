-- Rewrite rules written by users (CREATE RULE), on tables and views; not a view's own
-- _RETURN rule, which is its definition.
SELECT n.nspname, quote_ident(n.nspname) AS schema, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS table,
       quote_ident(r.rulename) AS name,
       pg_get_ruledef(r.oid) AS definition,
       r.ev_enabled AS enabled,
       dsc.description AS comment,
       r.oid
  FROM pg_rewrite r
  JOIN pg_class c ON c.oid = r.ev_class
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_description dsc ON dsc.objoid = r.oid
        AND dsc.classoid = 'pg_rewrite'::regclass AND dsc.objsubid = 0
 WHERE r.rulename <> '_RETURN'
   AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
   AND NOT EXISTS (SELECT FROM pg_depend e
                    WHERE e.classid = 'pg_rewrite'::regclass AND e.objid = r.oid
                      AND e.deptype = 'e')
