-- What depends on what among user objects. A view's rule is reported as its view, a
-- column default as its column. Catalog names are constants folded at plan time (cheaper
-- than a regclass-to-text cast on every row).
SELECT CASE WHEN d.classid IN ('pg_class'::regclass, 'pg_rewrite'::regclass,
                               'pg_attrdef'::regclass) THEN 'pg_class'
            WHEN d.classid = 'pg_type'::regclass THEN 'pg_type'
            WHEN d.classid = 'pg_proc'::regclass THEN 'pg_proc'
            WHEN d.classid = 'pg_constraint'::regclass THEN 'pg_constraint'
            WHEN d.classid = 'pg_trigger'::regclass THEN 'pg_trigger'
            WHEN d.classid = 'pg_policy'::regclass THEN 'pg_policy'
            WHEN d.classid = 'pg_namespace'::regclass THEN 'pg_namespace'
            WHEN d.classid = 'pg_collation'::regclass THEN 'pg_collation'
            WHEN d.classid = 'pg_event_trigger'::regclass THEN 'pg_event_trigger'
            WHEN d.classid = 'pg_publication'::regclass THEN 'pg_publication'
            WHEN d.classid = 'pg_extension'::regclass THEN 'pg_extension' END AS class,
       coalesce(rw.ev_class, ad.adrelid, d.objid) AS objid,
       coalesce(ad.adnum, d.objsubid) AS objsubid,
       CASE WHEN d.refclassid = 'pg_class'::regclass THEN 'pg_class'
            WHEN d.refclassid = 'pg_type'::regclass THEN 'pg_type'
            WHEN d.refclassid = 'pg_proc'::regclass THEN 'pg_proc'
            WHEN d.refclassid = 'pg_constraint'::regclass THEN 'pg_constraint'
            WHEN d.refclassid = 'pg_namespace'::regclass THEN 'pg_namespace'
            WHEN d.refclassid = 'pg_collation'::regclass THEN 'pg_collation'
            WHEN d.refclassid = 'pg_extension'::regclass THEN 'pg_extension' END AS refclass,
       d.refobjid, d.refobjsubid, d.deptype
  FROM pg_depend d
  LEFT JOIN pg_rewrite rw ON d.classid = 'pg_rewrite'::regclass AND rw.oid = d.objid
  LEFT JOIN pg_attrdef ad ON d.classid = 'pg_attrdef'::regclass AND ad.oid = d.objid
 WHERE d.deptype IN ('n', 'a', 'e')
   AND d.objid >= 16384 AND d.refobjid >= 16384
