CREATE FUNCTION normalize_email(e text, strip boolean) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT lower(trim(e)) $$;
