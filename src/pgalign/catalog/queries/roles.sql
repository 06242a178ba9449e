-- Role names by OID, to name grantees of privileges.
SELECT oid, quote_ident(rolname) AS name FROM pg_roles
