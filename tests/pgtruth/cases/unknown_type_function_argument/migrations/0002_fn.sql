CREATE FUNCTION user_label(u user_row) RETURNS text LANGUAGE sql AS $$ SELECT 'x' $$;
