-- Tables and partitioned tables, one row per table (their columns: columns.sql).
WITH tables AS (
    SELECT c.*
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p')
       AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
       AND NOT EXISTS (SELECT FROM pg_depend e
                        WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid
                          AND e.deptype = 'e')
), parents AS (
    SELECT i.inhrelid,
           array_agg(quote_ident(pn.nspname) || '.' || quote_ident(p.relname)
                     ORDER BY i.inhseqno) AS names
      FROM pg_inherits i
      JOIN tables tb ON tb.oid = i.inhrelid
      JOIN pg_class p ON p.oid = i.inhparent
      JOIN pg_namespace pn ON pn.oid = p.relnamespace
     GROUP BY i.inhrelid
)
SELECT n.nspname, quote_ident(n.nspname) AS schema,
       quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS qualified,
       c.relkind = 'p' AS partitioned,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key,
       CASE WHEN c.relispartition THEN pa.names[1] END AS partition_of,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
       CASE WHEN c.relispartition THEN '{}' ELSE coalesce(pa.names, '{}') END AS inherits,
       CASE WHEN c.reloftype <> 0 THEN
         (SELECT quote_ident(tn.nspname) || '.' || quote_ident(ty.typname)
            FROM pg_type ty JOIN pg_namespace tn ON tn.oid = ty.typnamespace
           WHERE ty.oid = c.reloftype) END AS of_type,
       c.relpersistence = 'u' AS unlogged,
       c.relrowsecurity, c.relforcerowsecurity, c.relreplident,
       (SELECT quote_ident(ic.relname)
          FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
         WHERE i.indrelid = c.oid AND i.indisreplident) AS replica_index,
       coalesce(c.reloptions, '{}') AS options,
       -- a partition's indexes and constraints cloned from its parent's (DETACH keeps them)
       CASE WHEN c.relispartition THEN ARRAY(
           SELECT 'CONSTRAINT ' || quote_ident(k.conname)
             FROM pg_constraint k WHERE k.conrelid = c.oid AND k.conparentid <> 0
           UNION ALL
           SELECT 'INDEX ' || quote_ident(ic.relname)
             FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
            WHERE i.indrelid = c.oid AND ic.relispartition
              AND NOT EXISTS (SELECT FROM pg_constraint k WHERE k.conindid = i.indexrelid
                                                           AND k.conrelid = c.oid))
       END AS cloned,
       pg_get_userbyid(c.relowner) AS owner,
       d.description AS comment,
       (SELECT json_agg(json_build_array(a.grantee::bigint, a.privilege_type, a.is_grantable))
          FROM aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a)::text AS acl,
       c.relowner AS owner_oid,
       c.oid, c.reltype
  FROM tables c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN parents pa ON pa.inhrelid = c.oid
  LEFT JOIN pg_description d ON d.objoid = c.oid
        AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
