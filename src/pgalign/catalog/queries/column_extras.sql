-- What only a few columns have, keyed by table and column number: an identity column's
-- sequence options, and PostgreSQL 18's flags of a column's own NOT NULL constraint
-- (v NOT VALID, n NO INHERIT). Apart from columns.sql so that its rows need no lookup each.
SELECT d.refobjid AS attrelid, d.refobjsubid AS attnum,
       ARRAY[s.seqincrement, s.seqmin, s.seqmax, s.seqstart, s.seqcache,
             s.seqcycle::int] AS identity_sequence,
       NULL AS not_null_flags
  FROM pg_sequence s
  JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.seqrelid
        AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'i'
UNION ALL
SELECT k.conrelid, k.conkey[1], NULL,
       CASE WHEN k.convalidated THEN '' ELSE 'v' END
         || CASE WHEN k.connoinherit THEN 'n' ELSE '' END
  FROM pg_constraint k
 WHERE k.contype = 'n' AND k.conislocal AND (NOT k.convalidated OR k.connoinherit)
