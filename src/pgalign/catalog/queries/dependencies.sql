-- What depends on what among user objects. A view's rule and a column default are
-- reported as their relation (column defaults with their column number).
SELECT CASE WHEN d.classid IN ('pg_rewrite'::regclass, 'pg_attrdef'::regclass)
            THEN 'pg_class' ELSE d.classid::regclass::text END AS class,
       coalesce(rw.ev_class, ad.adrelid, d.objid) AS objid,
       d.refclassid::regclass::text AS refclass,
       d.refobjid, d.refobjsubid, d.deptype
  FROM pg_depend d
  LEFT JOIN pg_rewrite rw ON d.classid = 'pg_rewrite'::regclass AND rw.oid = d.objid
  LEFT JOIN pg_attrdef ad ON d.classid = 'pg_attrdef'::regclass AND ad.oid = d.objid
 WHERE d.deptype IN ('n', 'a', 'e')
   AND d.objid >= 16384 AND d.refobjid >= 16384
