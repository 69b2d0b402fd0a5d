CREATE FUNCTION lower(n integer) RETURNS integer LANGUAGE sql AS $$ SELECT n $$;
CREATE FUNCTION now(tag text) RETURNS timestamptz LANGUAGE sql AS $$ SELECT pg_catalog.now() $$;
