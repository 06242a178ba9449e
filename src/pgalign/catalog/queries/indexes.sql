-- Indexes not owned by a constraint and not partitions of a parent index.
-- pg_get_indexdef opens the index's table (a relcache build in a new session), so the
-- usual index, on plain columns with their type's default operator class, is written
-- here from the catalogs, in the same words; pg_get_indexdef writes the others.
SELECT n.nspname, quote_ident(n.nspname) AS schema, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS table,
       quote_ident(n.nspname) || '.' || quote_ident(ic.relname) AS qualified,
       coalesce(
         CASE WHEN i.indexprs IS NULL AND i.indnatts = i.indnkeyatts
                   AND ic.reloptions IS NULL AND c.relkind <> 'p' THEN
           'CREATE ' || CASE WHEN i.indisunique THEN 'UNIQUE ' ELSE '' END || 'INDEX '
           || quote_ident(ic.relname) || ' ON ' || quote_ident(n.nspname) || '.'
           || quote_ident(c.relname) || ' USING ' || quote_ident(am.amname) || ' ('
           -- the key columns, or NULL when one needs what pg_get_indexdef would add: an
           -- operator class that is not the default for the column's own type, options,
           -- a collation other than the column's, or ordering on another method than btree
           || (SELECT CASE WHEN bool_and((x.opclass, a.atttypid) IN (SELECT oid, opcintype
                                                                     FROM pg_opclass
                                                                    WHERE opcdefault)
                                         AND ia.attoptions IS NULL
                                         AND x.coll IN (0, a.attcollation)
                                         AND (x.opt = 0 OR am.amname = 'btree'))
                           THEN string_agg(quote_ident(a.attname)
                                           || CASE x.opt WHEN 0 THEN ''
                                                         WHEN 1 THEN ' DESC NULLS LAST'
                                                         WHEN 2 THEN ' NULLS FIRST'
                                                         ELSE ' DESC' END,
                                           ', ' ORDER BY x.n) END
                 FROM unnest(i.indkey::int2[], i.indclass::oid[], i.indcollation::oid[],
                             i.indoption::int2[]) WITH ORDINALITY AS x(attnum, opclass, coll, opt, n)
                 -- OFFSET 0: one index lookup each, whatever the catalogs' statistics say
                 CROSS JOIN LATERAL (SELECT attname, atttypid, attcollation FROM pg_attribute
                                      WHERE attrelid = i.indrelid AND attnum = x.attnum
                                     OFFSET 0) a
                 CROSS JOIN LATERAL (SELECT attoptions FROM pg_attribute
                                      WHERE attrelid = i.indexrelid AND attnum = x.n
                                     OFFSET 0) ia)
           || ')'
           -- indnullsnotdistinct is new in PostgreSQL 15: read by name, absent before
           || CASE WHEN i.indisunique AND (to_jsonb(i) ->> 'indnullsnotdistinct')::bool
                   THEN ' NULLS NOT DISTINCT' ELSE '' END
           || coalesce(' WHERE ' || pg_get_expr(i.indpred, i.indrelid), '')
         END,
         pg_get_indexdef(i.indexrelid)) AS definition,
       dsc.description AS comment,
       i.indexrelid AS oid
  FROM pg_index i
  JOIN pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_class c ON c.oid = i.indrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_am am ON am.oid = ic.relam
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
