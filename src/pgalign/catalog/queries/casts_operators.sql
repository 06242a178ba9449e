-- User-defined casts (kind c) and operators (kind o), in one query: both are few. Neither
-- an extension's, nor a range type's cast to its multirange (made with the type), nor an
-- operator shell (what a COMMUTATOR or NEGATOR naming an operator not yet created leaves,
-- and that operator's CREATE fills). A cast has no schema of its own: it comes with the
-- user schemas of its types and function, for the scope.
SELECT 'c' AS kind, c.oid, NULL AS nspname,
       ARRAY(SELECT n.nspname FROM pg_namespace n
              WHERE n.oid IN (st.typnamespace, tt.typnamespace, p.pronamespace)
                AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema') AS schemas,
       NULL AS schema, NULL AS name,
       format_type(c.castsource, NULL) AS left_type,
       format_type(c.casttarget, NULL) AS right_type,
       CASE WHEN c.castfunc <> 0 THEN c.castfunc::regprocedure::text END AS function,
       c.castmethod AS method, c.castcontext AS context,
       NULL AS commutator, NULL AS negator, NULL AS restrict_function, NULL AS join_function,
       NULL AS hashes, NULL AS merges, NULL AS owner,
       (SELECT dsc.description FROM pg_description dsc
         WHERE dsc.objoid = c.oid AND dsc.classoid = 'pg_cast'::regclass
           AND dsc.objsubid = 0) AS comment
  FROM pg_cast c
  JOIN pg_type st ON st.oid = c.castsource
  JOIN pg_type tt ON tt.oid = c.casttarget
  LEFT JOIN pg_proc p ON p.oid = c.castfunc
 WHERE c.oid >= 16384
   AND NOT EXISTS (SELECT FROM pg_depend e
                    WHERE e.classid = 'pg_cast'::regclass AND e.objid = c.oid
                      AND e.deptype IN ('e', 'i'))
UNION ALL
SELECT 'o', o.oid, n.nspname, NULL,
       quote_ident(n.nspname), quote_ident(n.nspname) || '.' || o.oprname,
       CASE WHEN o.oprleft <> 0 THEN format_type(o.oprleft, NULL) END,
       format_type(o.oprright, NULL),
       o.oprcode::regproc::text, NULL, NULL,
       -- by name: the commutator's operands are this one's swapped, the negator's the same
       (SELECT quote_ident(cn.nspname) || '.' || co.oprname
          FROM pg_operator co JOIN pg_namespace cn ON cn.oid = co.oprnamespace
         WHERE co.oid = o.oprcom),
       (SELECT quote_ident(nn.nspname) || '.' || ng.oprname
          FROM pg_operator ng JOIN pg_namespace nn ON nn.oid = ng.oprnamespace
         WHERE ng.oid = o.oprnegate),
       CASE WHEN o.oprrest <> 0 THEN o.oprrest::regproc::text END,
       CASE WHEN o.oprjoin <> 0 THEN o.oprjoin::regproc::text END,
       o.oprcanhash, o.oprcanmerge, pg_get_userbyid(o.oprowner),
       (SELECT dsc.description FROM pg_description dsc
         WHERE dsc.objoid = o.oid AND dsc.classoid = 'pg_operator'::regclass
           AND dsc.objsubid = 0)
  FROM pg_operator o
  JOIN pg_namespace n ON n.oid = o.oprnamespace
 -- (PostgreSQL's own ~800 are below 16384: an index scan skips them)
 WHERE o.oid >= 16384 AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
   AND o.oprcode <> 0
   AND NOT EXISTS (SELECT FROM pg_depend e
                    WHERE e.classid = 'pg_operator'::regclass AND e.objid = o.oid
                      AND e.deptype = 'e')
