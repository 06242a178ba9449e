-- Table constraints: declared on the table itself, or CHECKs it inherits (the only kind
-- inheritance copies); not those cloned to partitions, and not NOT NULL (a column attribute).
SELECT n.nspname, quote_ident(n.nspname) AS schema, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS table,
       quote_ident(k.conname) AS name, k.contype,
       pg_get_constraintdef(k.oid) AS definition,
       dsc.description AS comment, idsc.description AS index_comment,
       k.oid, k.conindid, k.coninhcount > 0 AS inherited, k.conislocal,
       -- a key's index options, which pg_get_constraintdef leaves out (an EXCLUDE's it prints)
       ki.reloptions AS index_options
  FROM pg_constraint k
  JOIN pg_class c ON c.oid = k.conrelid
  LEFT JOIN pg_class ki ON ki.oid = k.conindid AND k.contype IN ('p', 'u')
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_description dsc ON dsc.objoid = k.oid
        AND dsc.classoid = 'pg_constraint'::regclass AND dsc.objsubid = 0
  -- the index of a primary key, unique or exclusion constraint (a foreign key's is another's)
  LEFT JOIN pg_description idsc ON idsc.objoid = k.conindid AND k.contype IN ('p', 'u', 'x')
        AND idsc.classoid = 'pg_class'::regclass AND idsc.objsubid = 0
 WHERE k.contype IN ('p', 'u', 'f', 'c', 'x')
   AND k.conparentid = 0
   AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
   AND NOT EXISTS (SELECT FROM pg_depend e
                    WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid
                      AND e.deptype = 'e')
