-- Tables, partitioned tables and foreign tables, one row per table (their columns:
-- columns.sql).
WITH RECURSIVE tables AS (
    SELECT c.*
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p', 'f')
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
), noted_copy(copy, relid, parent) AS (
    -- a partition's copies of its parents' keys and foreign keys given a comment (not a
    -- foreign key's copies on its own table, one per partition it references), walked up
    -- to the constraint at the root, which makes them again
    SELECT k.oid, k.conrelid, k.conparentid
      FROM pg_constraint k
      JOIN pg_constraint pk ON pk.oid = k.conparentid AND pk.conrelid <> k.conrelid
     WHERE k.conparentid <> 0 AND k.contype IN ('p', 'u', 'f', 'x')
       AND EXISTS (SELECT FROM pg_description d
                    WHERE d.objoid = k.oid AND d.classoid = 'pg_constraint'::regclass
                      AND d.objsubid = 0)
    UNION ALL
    SELECT nc.copy, nc.relid, k.conparentid
      FROM noted_copy nc JOIN pg_constraint k ON k.oid = nc.parent
     WHERE k.conparentid <> 0
), copy_notes AS (
    SELECT nc.relid,
           json_agg(json_build_array(quote_ident(k.conname),
                                     quote_ident(rn.nspname) || '.' || quote_ident(rt.relname)
                                     || '.' || quote_ident(r.conname),
                                     d.description)
                    ORDER BY k.conname) AS notes
      FROM noted_copy nc
      JOIN pg_constraint r ON r.oid = nc.parent AND r.conparentid = 0
      JOIN pg_class rt ON rt.oid = r.conrelid
      JOIN pg_namespace rn ON rn.oid = rt.relnamespace
      JOIN pg_constraint k ON k.oid = nc.copy
      JOIN pg_description d ON d.objoid = k.oid
           AND d.classoid = 'pg_constraint'::regclass AND d.objsubid = 0
     GROUP BY nc.relid
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
       (SELECT quote_ident(ic.relname)
          FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
         WHERE i.indrelid = c.oid AND i.indisclustered) AS cluster_index,
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
       -- those given other storage options than their parent index's (ALTER INDEX ... SET)
       -- or a comment, with the parent's options, and the index or constraint at the root
       -- that makes them again
       CASE WHEN c.relispartition THEN (
           SELECT json_agg(json_build_array(quote_ident(ic.relname), ic.reloptions,
                                            pc.reloptions, root.kind, root.name,
                                            dsc.description)
                           ORDER BY ic.relname)
             FROM pg_index i
             JOIN pg_class ic ON ic.oid = i.indexrelid
             JOIN pg_inherits h ON h.inhrelid = i.indexrelid
             JOIN pg_class pc ON pc.oid = h.inhparent
             LEFT JOIN pg_description dsc ON dsc.objoid = i.indexrelid
                   AND dsc.classoid = 'pg_class'::regclass AND dsc.objsubid = 0
             CROSS JOIN LATERAL (
                 SELECT coalesce(k.kind, 'index') AS kind,
                        coalesce(k.name, quote_ident(rn.nspname) || '.' || quote_ident(r.relname))
                          AS name
                   FROM pg_class r
                   JOIN pg_namespace rn ON rn.oid = r.relnamespace
                   LEFT JOIN LATERAL (
                       SELECT 'constraint' AS kind,
                              quote_ident(tn.nspname) || '.' || quote_ident(t.relname) || '.'
                              || quote_ident(rk.conname) AS name
                         FROM pg_constraint rk
                         JOIN pg_class t ON t.oid = rk.conrelid
                         JOIN pg_namespace tn ON tn.oid = t.relnamespace
                        WHERE rk.conindid = r.oid AND rk.contype IN ('p', 'u', 'x')
                          AND rk.conparentid = 0) k ON true
                  WHERE r.oid = pg_partition_root(i.indexrelid)) root
            WHERE i.indrelid = c.oid AND ic.relispartition
              AND (dsc.description IS NOT NULL
                   OR ic.relkind = 'i'  -- a partitioned index takes no ALTER INDEX ... SET
                      AND (SELECT array_agg(o ORDER BY o) FROM unnest(ic.reloptions) o)
                          IS DISTINCT FROM (SELECT array_agg(o ORDER BY o)
                                              FROM unnest(pc.reloptions) o)))
       END AS clone_options,
       cn.notes AS copy_notes,
       -- a foreign table's server and options
       CASE WHEN c.relkind = 'f' THEN (
           SELECT json_build_array(quote_ident(s.srvname), ft.ftoptions)
             FROM pg_foreign_table ft JOIN pg_foreign_server s ON s.oid = ft.ftserver
            WHERE ft.ftrelid = c.oid)
       END AS foreign_source,
       pg_get_userbyid(c.relowner) AS owner,
       d.description AS comment,
       (SELECT json_agg(json_build_array(a.grantee::bigint, a.privilege_type, a.is_grantable))
          FROM aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a)::text AS acl,
       c.relowner AS owner_oid,
       c.oid, c.reltype
  FROM tables c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN parents pa ON pa.inhrelid = c.oid
  LEFT JOIN copy_notes cn ON cn.relid = c.oid
  LEFT JOIN pg_description d ON d.objoid = c.oid
        AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
