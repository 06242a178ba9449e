-- default_comment: what CREATE EXTENSION comments it with, from its control file.
SELECT quote_ident(x.extname) AS name, n.nspname, quote_ident(n.nspname) AS schema, x.extversion, x.oid,
       dsc.description AS comment, ae.comment AS default_comment
  FROM pg_extension x
  JOIN pg_namespace n ON n.oid = x.extnamespace
  LEFT JOIN pg_description dsc ON dsc.objoid = x.oid
        AND dsc.classoid = 'pg_extension'::regclass AND dsc.objsubid = 0
  LEFT JOIN pg_available_extensions ae ON ae.name = x.extname
