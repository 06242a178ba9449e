SELECT quote_ident(x.extname) AS name, n.nspname, quote_ident(n.nspname) AS schema, x.extversion, x.oid
  FROM pg_extension x
  JOIN pg_namespace n ON n.oid = x.extnamespace
