CREATE SCHEMA util;
CREATE FUNCTION util.normalize_email(e text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower(trim(e)) $$;
