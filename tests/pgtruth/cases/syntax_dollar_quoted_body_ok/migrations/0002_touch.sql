CREATE FUNCTION touch(t text) RETURNS text LANGUAGE plpgsql AS $body$
BEGIN
    -- a semicolon; and a $$ inside the body
    RETURN t || ';' || '$$';
END
$body$;
