CREATE FUNCTION add_one(x integer) RETURNS int4 LANGUAGE sql AS $$ SELECT x + 1 $$;
