-- Fires [duplicate-object]: 001 created account already.
CREATE TABLE account (id bigint PRIMARY KEY);

-- Near-miss: IF NOT EXISTS makes the repeat harmless.
CREATE TABLE IF NOT EXISTS account (id bigint PRIMARY KEY);

-- Fires: CREATE FUNCTION of the same signature without OR REPLACE.
CREATE FUNCTION account_count() RETURNS bigint
    LANGUAGE sql STABLE AS $$ SELECT count(*) FROM account $$;

-- Near-miss: CREATE OR REPLACE FUNCTION replaces it.
CREATE OR REPLACE FUNCTION account_count() RETURNS bigint
    LANGUAGE sql STABLE AS $$ SELECT count(id) FROM account $$;

-- Near-miss: another signature is another function (an overload).
CREATE FUNCTION account_count(min_id bigint) RETURNS bigint
    LANGUAGE sql STABLE AS $$ SELECT count(*) FROM account WHERE id >= min_id $$;

-- Fires: ADD COLUMN of a column account has.
ALTER TABLE account ADD COLUMN email text;

-- Near-miss: ADD COLUMN IF NOT EXISTS.
ALTER TABLE account ADD COLUMN IF NOT EXISTS email text;
