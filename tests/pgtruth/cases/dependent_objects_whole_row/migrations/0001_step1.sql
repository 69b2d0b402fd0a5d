CREATE TABLE account (id bigint PRIMARY KEY, email text, name text);
CREATE FUNCTION noop() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER account_changed BEFORE UPDATE ON account FOR EACH ROW
    WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION noop();
CREATE VIEW account_json AS SELECT row_to_json(a.*) AS doc FROM account a;
