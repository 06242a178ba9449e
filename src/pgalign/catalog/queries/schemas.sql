-- Schemas outside PostgreSQL's own, not created by an extension.
SELECT n.nspname, quote_ident(n.nspname) AS schema,
       pg_get_userbyid(n.nspowner) AS owner,
       obj_description(n.oid, 'pg_namespace') AS comment,
       (SELECT json_agg(json_build_array(a.grantee::bigint, a.privilege_type, a.is_grantable))
          FROM aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a)::text AS acl,
       n.nspowner AS owner_oid,
       n.oid
  FROM pg_namespace n
 WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
   AND NOT EXISTS (SELECT FROM pg_depend e
                    WHERE e.classid = 'pg_namespace'::regclass AND e.objid = n.oid
                      AND e.deptype = 'e')
