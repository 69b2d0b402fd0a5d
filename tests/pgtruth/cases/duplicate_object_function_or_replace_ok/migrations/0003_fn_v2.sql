CREATE OR REPLACE FUNCTION normalize_email(e text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT lower(btrim(e, ' ')) $$;
