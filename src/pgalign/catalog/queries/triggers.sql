-- User triggers (not internal ones such as foreign keys', nor clones on partitions), each
-- with its clones whose enabled state differs from its own: [[partition, state], ...], and
-- its clones with a comment: [[partition, comment], ...].
WITH RECURSIVE clone(root, oid, relid, enabled) AS (
  SELECT k.tgparentid, k.oid, k.tgrelid, k.tgenabled
    FROM pg_trigger k JOIN pg_trigger r ON r.oid = k.tgparentid
   -- k.tgparentid <> 0 says nothing more, but lets the planner see how few clones there
   -- are: estimated as every trigger, they cost enough to start JIT compilation (about
   -- 90 ms on a server built with it) for a query that then takes a few milliseconds
   WHERE r.tgparentid = 0 AND k.tgparentid <> 0
  UNION ALL
  SELECT c.root, k.oid, k.tgrelid, k.tgenabled
    FROM pg_trigger k JOIN clone c ON k.tgparentid = c.oid
), own AS (
  SELECT c.root,
         json_agg(json_build_array(part.name, c.enabled))
           FILTER (WHERE c.enabled <> t.tgenabled) AS clones,
         json_agg(json_build_array(part.name, d.description))
           FILTER (WHERE d.description IS NOT NULL) AS noted
    FROM clone c
    JOIN pg_trigger t ON t.oid = c.root
    CROSS JOIN LATERAL (SELECT quote_ident(n.nspname) || '.' || quote_ident(r.relname)
                          FROM pg_class r JOIN pg_namespace n ON n.oid = r.relnamespace
                         WHERE r.oid = c.relid) part(name)
    LEFT JOIN pg_description d ON d.objoid = c.oid
         AND d.classoid = 'pg_trigger'::regclass AND d.objsubid = 0
   WHERE c.enabled <> t.tgenabled OR d.description IS NOT NULL
   GROUP BY c.root
)
SELECT n.nspname, quote_ident(n.nspname) AS schema, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS table,
       quote_ident(t.tgname) AS name,
       pg_get_triggerdef(t.oid) AS definition,
       t.tgenabled AS enabled,
       dsc.description AS comment,
       fn.nspname AS function_schema,
       own.clones,
       own.noted,
       t.oid
  FROM pg_trigger t
  JOIN pg_proc p ON p.oid = t.tgfoid
  JOIN pg_namespace fn ON fn.oid = p.pronamespace
  JOIN pg_class c ON c.oid = t.tgrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN own ON own.root = t.oid
  LEFT JOIN pg_description dsc ON dsc.objoid = t.oid
        AND dsc.classoid = 'pg_trigger'::regclass AND dsc.objsubid = 0
 WHERE NOT t.tgisinternal AND t.tgparentid = 0
   AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
   AND NOT EXISTS (SELECT FROM pg_depend e
                    WHERE e.classid = 'pg_trigger'::regclass AND e.objid = t.oid
                      AND e.deptype = 'e')
