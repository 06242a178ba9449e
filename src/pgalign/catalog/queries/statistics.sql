-- Extended statistics (CREATE STATISTICS) on tables and materialized views, in scope by
-- their own schema (which need not be their table's).
SELECT n.nspname, quote_ident(n.nspname) AS schema,
       quote_ident(n.nspname) || '.' || quote_ident(x.stxname) AS qualified,
       quote_ident(cn.nspname) || '.' || quote_ident(c.relname) AS table,
       pg_get_statisticsobjdef(x.oid) AS definition,
       -- what it is made of: its definition names the columns in their table's order
       array_to_string(x.stxkind, '') AS kinds,
       ARRAY(SELECT quote_ident(a.attname)
               FROM unnest(x.stxkeys) k(attnum)
               JOIN pg_attribute a ON a.attrelid = x.stxrelid AND a.attnum = k.attnum) AS columns,
       pg_get_statisticsobjdef_expressions(x.oid) AS expressions,
       -- the default target is -1 before PostgreSQL 17, NULL since
       nullif(x.stxstattarget, -1) AS target,
       pg_get_userbyid(x.stxowner) AS owner,
       dsc.description AS comment,
       x.oid
  FROM pg_statistic_ext x
  JOIN pg_namespace n ON n.oid = x.stxnamespace
  JOIN pg_class c ON c.oid = x.stxrelid
  JOIN pg_namespace cn ON cn.oid = c.relnamespace
  LEFT JOIN pg_description dsc ON dsc.objoid = x.oid
        AND dsc.classoid = 'pg_statistic_ext'::regclass AND dsc.objsubid = 0
 WHERE c.relkind IN ('r', 'p', 'm')
   AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
   AND NOT EXISTS (SELECT FROM pg_depend e
                    WHERE (e.classid = 'pg_statistic_ext'::regclass AND e.objid = x.oid
                           OR e.classid = 'pg_class'::regclass AND e.objid = c.oid)
                      AND e.deptype = 'e')
