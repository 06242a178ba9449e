-- Text search configurations (kind 'c': their parser and, by token type, their dictionaries
-- in order) and dictionaries (kind 'd': their template and options as CREATE gave them), in
-- user schemas, not an extension's. Parsers and templates are C functions: not read.
SELECT 'c' AS kind, n.nspname, quote_ident(n.nspname) AS schema,
       quote_ident(n.nspname) || '.' || quote_ident(c.cfgname) AS qualified,
       quote_ident(pn.nspname) || '.' || quote_ident(p.prsname) AS made_by,
       NULL AS options,
       (SELECT json_agg(json_build_array(quote_ident(t.alias), m.dictionaries) ORDER BY t.tokid)
          FROM (SELECT maptokentype, array_agg(mapdict::regdictionary::text ORDER BY mapseqno)
                  FROM pg_ts_config_map WHERE mapcfg = c.oid
                 GROUP BY maptokentype) m(tokid, dictionaries)
          JOIN ts_token_type(c.cfgparser) t USING (tokid)) AS mappings,
       pg_get_userbyid(c.cfgowner) AS owner,
       dsc.description AS comment,
       c.oid
  FROM pg_ts_config c
  JOIN pg_namespace n ON n.oid = c.cfgnamespace
  JOIN pg_ts_parser p ON p.oid = c.cfgparser
  JOIN pg_namespace pn ON pn.oid = p.prsnamespace
  LEFT JOIN pg_description dsc ON dsc.objoid = c.oid
        AND dsc.classoid = 'pg_ts_config'::regclass AND dsc.objsubid = 0
 WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
   AND NOT EXISTS (SELECT FROM pg_depend e
                    WHERE e.classid = 'pg_ts_config'::regclass AND e.objid = c.oid
                      AND e.deptype = 'e')
UNION ALL
SELECT 'd', n.nspname, quote_ident(n.nspname),
       quote_ident(n.nspname) || '.' || quote_ident(d.dictname),
       quote_ident(tn.nspname) || '.' || quote_ident(t.tmplname),
       d.dictinitoption,
       NULL,
       pg_get_userbyid(d.dictowner),
       dsc.description,
       d.oid
  FROM pg_ts_dict d
  JOIN pg_namespace n ON n.oid = d.dictnamespace
  JOIN pg_ts_template t ON t.oid = d.dicttemplate
  JOIN pg_namespace tn ON tn.oid = t.tmplnamespace
  LEFT JOIN pg_description dsc ON dsc.objoid = d.oid
        AND dsc.classoid = 'pg_ts_dict'::regclass AND dsc.objsubid = 0
 WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
   AND NOT EXISTS (SELECT FROM pg_depend e
                    WHERE e.classid = 'pg_ts_dict'::regclass AND e.objid = d.oid
                      AND e.deptype = 'e')
