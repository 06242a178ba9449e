SELECT quote_ident(pg_get_userbyid(d.defaclrole)) AS role,
       n.nspname, quote_ident(n.nspname) AS schema,
       d.defaclobjtype AS object_type,
       (SELECT json_agg(json_build_array(a.grantee::bigint, a.privilege_type, a.is_grantable))
          FROM aclexplode(d.defaclacl) a)::text AS acl,
       d.defaclrole AS owner_oid
  FROM pg_default_acl d
  LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
