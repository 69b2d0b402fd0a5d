CREATE TABLE account (id bigint PRIMARY KEY, email text NOT NULL);
CREATE FUNCTION account_count() RETURNS bigint
    LANGUAGE sql STABLE AS $$ SELECT count(*) FROM account $$;
