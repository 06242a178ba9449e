-- Indexes not owned by a constraint and not partitions of a parent index.
SELECT n.nspname, quote_ident(n.nspname) AS schema, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS table,
       quote_ident(n.nspname) || '.' || quote_ident(ic.relname) AS qualified,
       pg_get_indexdef(i.indexrelid) AS definition,
       dsc.description AS comment,
       i.indexrelid AS oid
  FROM pg_index i
  JOIN pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_class c ON c.oid = i.indrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_description dsc ON dsc.objoid = i.indexrelid
        AND dsc.classoid = 'pg_class'::regclass AND dsc.objsubid = 0
 WHERE NOT ic.relispartition
   AND c.relkind IN ('r', 'p', 'm')
   AND NOT EXISTS (SELECT FROM pg_constraint k
                    WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x')
                      AND k.conrelid = i.indrelid)
   AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
   AND NOT EXISTS (SELECT FROM pg_depend e
                    WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid
                      AND e.deptype = 'e')
