-- Functions, procedures and aggregates, identified by name and argument types.
SELECT n.nspname, quote_ident(n.nspname) AS schema,
       quote_ident(n.nspname) || '.' || quote_ident(p.proname)
         || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS qualified,
       quote_ident(n.nspname) || '.' || quote_ident(p.proname) AS name,
       p.prokind,
       pg_get_function_arguments(p.oid) AS arguments,
       pg_get_function_result(p.oid) AS result,
       l.lanname AS language,
       CASE WHEN p.prokind <> 'a' THEN pg_get_functiondef(p.oid) END AS definition,
       CASE WHEN p.prokind = 'a' THEN
         (SELECT json_build_object(
                   'sfunc', ag.aggtransfn::regproc::text,
                   'stype', format_type(ag.aggtranstype, NULL),
                   'finalfunc', CASE WHEN ag.aggfinalfn <> 0 THEN ag.aggfinalfn::regproc::text END,
                   'combinefunc', CASE WHEN ag.aggcombinefn <> 0 THEN ag.aggcombinefn::regproc::text END,
                   'initcond', ag.agginitval,
                   'sortop', CASE WHEN ag.aggsortop <> 0 THEN ag.aggsortop::regoper::text END,
                   'kind', ag.aggkind,
                   'parallel', p.proparallel)
            FROM pg_aggregate ag WHERE ag.aggfnoid = p.oid) END AS aggregate,
       pg_get_userbyid(p.proowner) AS owner,
       dsc.description AS comment,
       (SELECT json_agg(json_build_array(a.grantee::bigint, a.privilege_type, a.is_grantable))
          FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a)::text AS acl,
       p.proowner AS owner_oid,
       p.oid
  FROM pg_proc p
  JOIN pg_namespace n ON n.oid = p.pronamespace
  JOIN pg_language l ON l.oid = p.prolang
  LEFT JOIN pg_description dsc ON dsc.objoid = p.oid
        AND dsc.classoid = 'pg_proc'::regclass AND dsc.objsubid = 0
 WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
   -- not an extension's, nor a range type's constructor (created with the type)
   AND NOT EXISTS (SELECT FROM pg_depend e
                    WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid
                      AND e.deptype IN ('e', 'i'))
