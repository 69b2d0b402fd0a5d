CREATE TABLE legacy (id int);
CREATE TYPE legacy_kind AS ENUM ('a');
CREATE FUNCTION legacy_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM legacy $$;
