DROP FUNCTION user_count();
CREATE FUNCTION user_count() RETURNS integer LANGUAGE sql AS $$ SELECT count(*)::integer FROM users $$;
