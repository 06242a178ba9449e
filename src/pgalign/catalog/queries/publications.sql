-- Publications and their members: (what to name to drop it, how to add it again) pairs,
-- so that column lists and row filters are compared too.
SELECT quote_ident(p.pubname) AS name, p.puballtables,
       p.pubinsert, p.pubupdate, p.pubdelete, p.pubtruncate, p.pubviaroot,
       (SELECT coalesce(json_agg(m.member ORDER BY m.member ->> 0), '[]')
          FROM (SELECT json_build_array(
                         'TABLE ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname),
                         'TABLE ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname)
                         || coalesce(' (' || (SELECT string_agg(quote_ident(a.attname), ', '
                                                                ORDER BY a.attnum)
                                               FROM pg_attribute a
                                              WHERE a.attrelid = c.oid
                                                AND a.attnum = ANY (r.prattrs)) || ')', '')
                         || coalesce(' WHERE (' || pg_get_expr(r.prqual, r.prrelid) || ')', ''))
                         AS member
                  FROM pg_publication_rel r
                  JOIN pg_class c ON c.oid = r.prrelid
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE r.prpubid = p.oid
                UNION ALL
                SELECT json_build_array('TABLES IN SCHEMA ' || quote_ident(n.nspname),
                                        'TABLES IN SCHEMA ' || quote_ident(n.nspname))
                  FROM pg_publication_namespace pn
                  JOIN pg_namespace n ON n.oid = pn.pnnspid
                 WHERE pn.pnpubid = p.oid) m) AS members,
       ARRAY(SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
               FROM pg_publication_rel r
               JOIN pg_class c ON c.oid = r.prrelid
               JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE r.prpubid = p.oid) AS tables,
       pg_get_userbyid(p.pubowner) AS owner,
       obj_description(p.oid, 'pg_publication') AS comment,
       p.oid
  FROM pg_publication p
