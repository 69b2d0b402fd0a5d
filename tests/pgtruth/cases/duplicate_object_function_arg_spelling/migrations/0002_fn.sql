CREATE FUNCTION add_one(n int) RETURNS integer LANGUAGE sql AS $$ SELECT n + 1 $$;
