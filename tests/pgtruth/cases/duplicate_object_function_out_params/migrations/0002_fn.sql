CREATE FUNCTION user_count(since timestamptz) RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM users $$;
