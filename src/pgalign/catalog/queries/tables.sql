-- Tables and partitioned tables with their columns, one row per table.
SELECT n.nspname, quote_ident(n.nspname) AS schema, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS qualified,
       c.relkind = 'p' AS partitioned,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key,
       (SELECT quote_ident(pn.nspname) || '.' || quote_ident(p.relname)
          FROM pg_inherits i
          JOIN pg_class p ON p.oid = i.inhparent
          JOIN pg_namespace pn ON pn.oid = p.relnamespace
         WHERE i.inhrelid = c.oid AND c.relispartition) AS partition_of,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
       ARRAY(SELECT quote_ident(pn.nspname) || '.' || quote_ident(p.relname)
               FROM pg_inherits i
               JOIN pg_class p ON p.oid = i.inhparent
               JOIN pg_namespace pn ON pn.oid = p.relnamespace
              WHERE i.inhrelid = c.oid AND NOT c.relispartition
              ORDER BY i.inhseqno) AS inherits,
       c.relpersistence = 'u' AS unlogged,
       c.relrowsecurity, c.relforcerowsecurity, c.relreplident,
       coalesce(c.reloptions, '{}') AS options,
       pg_get_userbyid(c.relowner) AS owner,
       obj_description(c.oid, 'pg_class') AS comment,
       (SELECT json_agg(json_build_array(a.grantee::bigint, a.privilege_type, a.is_grantable))
          FROM aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a) AS acl,
       (SELECT json_agg(json_build_array(
                 quote_ident(a.attname), a.attnum, format_type(a.atttypid, a.atttypmod),
                 a.attnotnull, pg_get_expr(ad.adbin, ad.adrelid), a.attidentity,
                 a.attgenerated,
                 CASE WHEN a.attcollation <> t.typcollation THEN
                   quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END,
                 a.attislocal, cd.description,
                 (SELECT json_agg(json_build_array(x.grantee::bigint, x.privilege_type, x.is_grantable))
                    FROM aclexplode(a.attacl) x)))
          FROM pg_attribute a
          JOIN pg_type t ON t.oid = a.atttypid
          LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
          LEFT JOIN pg_collation co ON co.oid = a.attcollation
          LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
          LEFT JOIN pg_description cd ON cd.objoid = a.attrelid
                AND cd.classoid = 'pg_class'::regclass AND cd.objsubid = a.attnum
         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
       c.relowner AS owner_oid,
       c.oid, c.reltype
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p')
   AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
   AND NOT EXISTS (SELECT FROM pg_depend e
                    WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid
                      AND e.deptype = 'e')
