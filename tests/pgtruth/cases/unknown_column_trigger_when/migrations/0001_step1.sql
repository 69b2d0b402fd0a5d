CREATE TABLE account (id bigint PRIMARY KEY, email text);
CREATE FUNCTION noop() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
