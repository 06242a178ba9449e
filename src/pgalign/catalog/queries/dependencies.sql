-- What depends on what among user objects. A view's own rule (_RETURN) is reported as its
-- view, a column default as its column. Catalog names are constants folded at plan time (cheaper
-- than a regclass-to-text cast on every row). Left out: a default's tie to its own column
-- and a NOT NULL constraint's to its column (nothing to order). What remains of defaults
-- is few rows, so each is looked up on its own rather than joined.
SELECT CASE WHEN d.classid IN ('pg_class'::regclass, 'pg_attrdef'::regclass) THEN 'pg_class'
            WHEN d.classid = 'pg_rewrite'::regclass THEN
              CASE WHEN rw.rulename = '_RETURN' THEN 'pg_class' ELSE 'pg_rewrite' END
            WHEN d.classid = 'pg_type'::regclass THEN 'pg_type'
            WHEN d.classid = 'pg_proc'::regclass THEN 'pg_proc'
            WHEN d.classid = 'pg_constraint'::regclass THEN 'pg_constraint'
            WHEN d.classid = 'pg_trigger'::regclass THEN 'pg_trigger'
            WHEN d.classid = 'pg_policy'::regclass THEN 'pg_policy'
            WHEN d.classid = 'pg_namespace'::regclass THEN 'pg_namespace'
            WHEN d.classid = 'pg_collation'::regclass THEN 'pg_collation'
            WHEN d.classid = 'pg_event_trigger'::regclass THEN 'pg_event_trigger'
            WHEN d.classid = 'pg_publication'::regclass THEN 'pg_publication'
            WHEN d.classid = 'pg_foreign_data_wrapper'::regclass THEN 'pg_foreign_data_wrapper'
            WHEN d.classid = 'pg_foreign_server'::regclass THEN 'pg_foreign_server'
            WHEN d.classid = 'pg_extension'::regclass THEN 'pg_extension'
            WHEN d.classid = 'pg_statistic_ext'::regclass THEN 'pg_statistic_ext'
            WHEN d.classid = 'pg_ts_config'::regclass THEN 'pg_ts_config'
            WHEN d.classid = 'pg_ts_dict'::regclass THEN 'pg_ts_dict'
            -- (an extension's parser or template: what uses it then uses the extension)
            WHEN d.classid = 'pg_ts_template'::regclass THEN 'pg_ts_template'
            WHEN d.classid = 'pg_ts_parser'::regclass THEN 'pg_ts_parser'
            WHEN d.classid = 'pg_cast'::regclass THEN 'pg_cast'
            WHEN d.classid = 'pg_operator'::regclass THEN 'pg_operator' END AS class,
       CASE WHEN rw.rulename = '_RETURN' THEN rw.ev_class
            WHEN d.classid = 'pg_attrdef'::regclass THEN
              (SELECT ad.adrelid FROM pg_attrdef ad WHERE ad.oid = d.objid)
            ELSE d.objid END AS objid,
       CASE WHEN d.classid = 'pg_attrdef'::regclass THEN
              (SELECT ad.adnum FROM pg_attrdef ad WHERE ad.oid = d.objid)
            ELSE d.objsubid END AS objsubid,
       CASE WHEN d.refclassid = 'pg_class'::regclass THEN 'pg_class'
            WHEN d.refclassid = 'pg_type'::regclass THEN 'pg_type'
            WHEN d.refclassid = 'pg_proc'::regclass THEN 'pg_proc'
            WHEN d.refclassid = 'pg_constraint'::regclass THEN 'pg_constraint'
            WHEN d.refclassid = 'pg_namespace'::regclass THEN 'pg_namespace'
            WHEN d.refclassid = 'pg_collation'::regclass THEN 'pg_collation'
            WHEN d.refclassid = 'pg_foreign_data_wrapper'::regclass THEN 'pg_foreign_data_wrapper'
            WHEN d.refclassid = 'pg_foreign_server'::regclass THEN 'pg_foreign_server'
            WHEN d.refclassid = 'pg_extension'::regclass THEN 'pg_extension'
            WHEN d.refclassid = 'pg_ts_config'::regclass THEN 'pg_ts_config'
            WHEN d.refclassid = 'pg_ts_dict'::regclass THEN 'pg_ts_dict'
            WHEN d.refclassid = 'pg_ts_template'::regclass THEN 'pg_ts_template'
            WHEN d.refclassid = 'pg_ts_parser'::regclass THEN 'pg_ts_parser'
            WHEN d.refclassid = 'pg_operator'::regclass THEN 'pg_operator' END AS refclass,
       d.refobjid, d.refobjsubid, d.deptype
  FROM pg_depend d
  LEFT JOIN pg_rewrite rw ON d.classid = 'pg_rewrite'::regclass AND rw.oid = d.objid
 WHERE d.deptype IN ('n', 'a', 'e')
   AND d.objid >= 16384 AND d.refobjid >= 16384
   AND NOT (d.classid = 'pg_attrdef'::regclass AND d.deptype = 'a')
   AND NOT (d.classid = 'pg_constraint'::regclass AND d.deptype = 'a'
            AND (SELECT k.contype FROM pg_constraint k WHERE k.oid = d.objid) = 'n')
