-- Foreign data wrappers (kind w) and foreign servers (kind s), in one query for their
-- shape is one, but not those an extension makes (postgres_fdw's own wrapper). A server
-- comes with who has a user mapping on it: only the roles, never the mappings' options
-- (they hold passwords).
WITH found AS (
    SELECT 'w' AS kind, 'pg_foreign_data_wrapper' AS catalog, 'F'::"char" AS acl_kind,
           w.oid, quote_ident(w.fdwname) AS name, NULL AS wrapper,
           CASE WHEN w.fdwhandler <> 0 THEN w.fdwhandler::regproc::text END AS handler,
           CASE WHEN w.fdwvalidator <> 0 THEN w.fdwvalidator::regproc::text END AS validator,
           NULL AS type, NULL AS version, w.fdwoptions AS options, NULL AS user_mappings,
           w.fdwowner AS owner_oid, w.fdwacl AS acl
      FROM pg_foreign_data_wrapper w
    UNION ALL
    SELECT 's', 'pg_foreign_server', 'S'::"char",
           s.oid, quote_ident(s.srvname), quote_ident(w.fdwname), NULL, NULL,
           s.srvtype, s.srvversion, s.srvoptions,
           ARRAY(SELECT CASE WHEN u.umuser = 0 THEN 'PUBLIC' ELSE quote_ident(u.usename) END
                   FROM pg_user_mappings u
                  WHERE u.srvid = s.oid ORDER BY 1),
           s.srvowner, s.srvacl
      FROM pg_foreign_server s
      JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw
)
SELECT f.kind, f.name, f.wrapper, f.handler, f.validator, f.type, f.version, f.options,
       f.user_mappings,
       pg_get_userbyid(f.owner_oid) AS owner,
       obj_description(f.oid, f.catalog) AS comment,
       (SELECT json_agg(json_build_array(a.grantee::bigint, a.privilege_type, a.is_grantable))
          FROM aclexplode(coalesce(f.acl, acldefault(f.acl_kind, f.owner_oid))) a)::text AS acl,
       f.owner_oid, f.oid
  FROM found f
 WHERE NOT EXISTS (SELECT FROM pg_depend e
                    WHERE e.classid = f.catalog::regclass AND e.objid = f.oid
                      AND e.deptype = 'e')
