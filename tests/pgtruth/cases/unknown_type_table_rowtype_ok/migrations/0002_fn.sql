CREATE FUNCTION user_label(u users) RETURNS text LANGUAGE sql AS $$ SELECT u.email $$;
CREATE TABLE user_snapshots (taken_at timestamptz, snapshot users);
