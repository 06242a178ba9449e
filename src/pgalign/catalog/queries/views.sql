-- Views and materialized views.
SELECT n.nspname, quote_ident(n.nspname) AS schema, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS qualified,
       c.relkind = 'm' AS materialized,
       c.relispopulated AS populated,
       CASE WHEN c.relkind = 'm' THEN
         (SELECT quote_ident(ic.relname)
            FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
           WHERE i.indrelid = c.oid AND i.indisclustered) END AS cluster_index,
       pg_get_viewdef(c.oid) AS definition,
       coalesce(c.reloptions, '{}') AS options,
       -- name, type, and the few grants (as aclexplode JSON text) and defaults columns have
       (SELECT json_agg(json_build_array(
                 quote_ident(a.attname), format_type(a.atttypid, a.atttypmod),
                 CASE WHEN a.attacl IS NOT NULL THEN
                   (SELECT json_agg(json_build_array(x.grantee::bigint, x.privilege_type,
                                                     x.is_grantable))
                      FROM aclexplode(a.attacl) x)::text END,
                 CASE WHEN a.atthasdef THEN
                   (SELECT pg_get_expr(ad.adbin, 0) FROM pg_attrdef ad
                     WHERE ad.adrelid = a.attrelid AND ad.adnum = a.attnum) END)
                        ORDER BY a.attnum)
          FROM pg_attribute a
         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
       (SELECT json_agg(json_build_array(quote_ident(a.attname), cd.description)
                        ORDER BY a.attnum)
          FROM pg_description cd
          JOIN pg_attribute a ON a.attrelid = cd.objoid AND a.attnum = cd.objsubid
         WHERE cd.objoid = c.oid AND cd.classoid = 'pg_class'::regclass
           AND cd.objsubid > 0) AS column_comments,
       pg_get_userbyid(c.relowner) AS owner,
       dsc.description AS comment,
       (SELECT json_agg(json_build_array(a.grantee::bigint, a.privilege_type, a.is_grantable))
          FROM aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a)::text AS acl,
       c.relowner AS owner_oid,
       c.oid, c.reltype
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_description dsc ON dsc.objoid = c.oid
        AND dsc.classoid = 'pg_class'::regclass AND dsc.objsubid = 0
 WHERE c.relkind IN ('v', 'm')
   AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
   AND NOT EXISTS (SELECT FROM pg_depend e
                    WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid
                      AND e.deptype = 'e')
