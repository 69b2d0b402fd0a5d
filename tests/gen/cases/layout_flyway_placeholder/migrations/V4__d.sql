CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$ SELECT '${literal}' $$;
