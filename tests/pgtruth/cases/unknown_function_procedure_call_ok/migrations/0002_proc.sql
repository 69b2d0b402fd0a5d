CREATE PROCEDURE backfill_users() LANGUAGE sql AS $$ UPDATE users SET name = email WHERE name IS NULL $$;
