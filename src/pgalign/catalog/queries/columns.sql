-- Columns of every table in tables.sql, one row per column (what only a few columns have
-- is in column_extras.sql: a per-row lookup here would cost every column).
SELECT a.attrelid, quote_ident(a.attname) AS name, a.attnum,
       format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull,
       -- a default cannot name columns, so it needs no relation to deparse against
       pg_get_expr(ad.adbin, CASE WHEN a.attgenerated <> '' THEN ad.adrelid ELSE 0 END)
         AS default,
       a.attidentity, a.attgenerated,
       CASE WHEN a.attcollation <> t.typcollation THEN
         quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END AS collation,
       -- storage, compression, statistics target, options: for the few that set any
       CASE WHEN a.attstorage <> t.typstorage OR a.attcompression <> '' OR a.attstattarget >= 0
                 OR a.attoptions IS NOT NULL THEN
         json_build_array(
           CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage::text || t.typstorage::text END,
           CASE a.attcompression WHEN 'p' THEN 'pglz' WHEN 'l' THEN 'lz4' END,
           CASE WHEN a.attstattarget >= 0 THEN a.attstattarget END,
           coalesce(a.attoptions, '{}'))::text END AS settings,
       a.attislocal, cd.description AS comment,
       CASE WHEN a.attacl IS NOT NULL THEN
         (SELECT json_agg(json_build_array(x.grantee::bigint, x.privilege_type,
                                           x.is_grantable))
            FROM aclexplode(a.attacl) x)::text END AS acl,
       a.attfdwoptions  -- a foreign table's column's OPTIONS, as name=value
  FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
  LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> t.typcollation
  LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
  LEFT JOIN pg_description cd ON cd.objoid = a.attrelid
        AND cd.classoid = 'pg_class'::regclass AND cd.objsubid = a.attnum
 WHERE a.attnum > 0 AND NOT a.attisdropped
   AND c.relkind IN ('r', 'p', 'f')
   AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
