-- Enums, domains, composite and range types, each with its kind-specific attributes.
SELECT n.nspname, quote_ident(n.nspname) AS schema, quote_ident(n.nspname) || '.' || quote_ident(t.typname) AS qualified,
       t.typname, t.typtype,
       CASE WHEN t.typtype = 'e' THEN
         ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid
                ORDER BY e.enumsortorder) END AS labels,
       CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS base_type,
       -- typdefault is the text as written, its names as the search_path of that moment saw them
       pg_get_expr(t.typdefaultbin, 0) AS default,
       t.typnotnull AS not_null,
       CASE WHEN t.typcollation <> 0 AND t.typcollation <> bt.typcollation THEN
         (SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname)
            FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace
           WHERE co.oid = t.typcollation) END AS collation,
       CASE WHEN t.typtype = 'd' THEN
         (SELECT json_agg(json_build_array(quote_ident(k.conname), pg_get_constraintdef(k.oid),
                                           kd.description, k.convalidated)
                          ORDER BY k.conname)
            FROM pg_constraint k
            LEFT JOIN pg_description kd ON kd.objoid = k.oid
                  AND kd.classoid = 'pg_constraint'::regclass AND kd.objsubid = 0
           WHERE k.contypid = t.oid AND k.contype = 'c') END
         AS constraints,
       -- what a domain's checks depend on is the domain's to answer for
       CASE WHEN t.typtype = 'd' THEN
         ARRAY(SELECT k.oid FROM pg_constraint k WHERE k.contypid = t.oid) END
         AS constraint_oids,
       CASE WHEN t.typtype = 'c' THEN
         (SELECT json_agg(json_build_array(
                   quote_ident(a.attname), format_type(a.atttypid, a.atttypmod),
                   CASE WHEN a.attcollation <> at.typcollation THEN
                     (SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname)
                        FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace
                       WHERE co.oid = a.attcollation) END) ORDER BY a.attnum)
            FROM pg_attribute a JOIN pg_type at ON at.oid = a.atttypid
           WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) END
         AS attributes,
       CASE WHEN t.typtype = 'c' THEN
         (SELECT json_agg(json_build_array(quote_ident(a.attname), ad.description)
                          ORDER BY a.attnum)
            FROM pg_description ad
            JOIN pg_attribute a ON a.attrelid = ad.objoid AND a.attnum = ad.objsubid
           WHERE ad.objoid = t.typrelid AND ad.classoid = 'pg_class'::regclass
             AND ad.objsubid > 0) END AS attribute_comments,
       CASE WHEN t.typtype = 'r' THEN
         (SELECT json_build_object(
                   'subtype', format_type(r.rngsubtype, NULL),
                   'subtype_opclass', CASE WHEN NOT oc.opcdefault THEN
                      quote_ident(ocn.nspname) || '.' || quote_ident(oc.opcname) END,
                   'collation', CASE WHEN r.rngcollation <> 0
                      AND r.rngcollation <> st.typcollation THEN
                      (SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname)
                         FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace
                        WHERE co.oid = r.rngcollation) END,
                   'canonical', CASE WHEN r.rngcanonical <> 0 THEN r.rngcanonical::regproc::text END,
                   'subtype_diff', CASE WHEN r.rngsubdiff <> 0 THEN r.rngsubdiff::regproc::text END,
                   'multirange_type_name', (SELECT quote_ident(mn.nspname) || '.' || quote_ident(m.typname)
                      FROM pg_type m JOIN pg_namespace mn ON mn.oid = m.typnamespace
                     WHERE m.oid = r.rngmultitypid),
                   'multirange_comment', (SELECT md.description FROM pg_description md
                     WHERE md.objoid = r.rngmultitypid AND md.classoid = 'pg_type'::regclass
                       AND md.objsubid = 0))
            FROM pg_range r
            JOIN pg_type st ON st.oid = r.rngsubtype
            JOIN pg_opclass oc ON oc.oid = r.rngsubopc
            JOIN pg_namespace ocn ON ocn.oid = oc.opcnamespace
           WHERE r.rngtypid = t.oid) END AS range,
       pg_get_userbyid(t.typowner) AS owner,
       dsc.description AS comment,
       (SELECT json_agg(json_build_array(a.grantee::bigint, a.privilege_type, a.is_grantable))
          FROM aclexplode(coalesce(t.typacl, acldefault('T', t.typowner))) a)::text AS acl,
       t.typowner AS owner_oid,
       t.oid, t.typarray, t.typrelid,
       CASE WHEN t.typtype = 'r' THEN (SELECT r.rngmultitypid FROM pg_range r
                                        WHERE r.rngtypid = t.oid) END AS multirange
  FROM pg_type t
  JOIN pg_namespace n ON n.oid = t.typnamespace
  LEFT JOIN pg_type bt ON bt.oid = t.typbasetype
  LEFT JOIN pg_description dsc ON dsc.objoid = t.oid
        AND dsc.classoid = 'pg_type'::regclass AND dsc.objsubid = 0
 WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
   AND (t.typtype IN ('e', 'd', 'r')
        OR (t.typtype = 'c' AND (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c'))
   AND NOT EXISTS (SELECT FROM pg_depend e
                    WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid
                      AND e.deptype = 'e')
