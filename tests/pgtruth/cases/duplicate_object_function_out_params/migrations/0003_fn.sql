CREATE FUNCTION user_count(since timestamp with time zone, OUT n bigint) LANGUAGE sql AS $$ SELECT count(*) FROM users $$;
