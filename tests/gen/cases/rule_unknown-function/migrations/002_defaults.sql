-- Near-misses: lower, now and gen_random_uuid are built in;
-- uuid_generate_v4 comes with CREATE EXTENSION "uuid-ossp" (001).
CREATE TABLE session (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    token uuid NOT NULL DEFAULT uuid_generate_v4(),
    created timestamptz NOT NULL DEFAULT now()
);
CREATE VIEW account_email AS SELECT id, lower(email) AS email FROM account;

-- Fires [unknown-function]: nothing created normalize_email and
-- PostgreSQL has none (reported at the call).
CREATE VIEW account_login AS SELECT id, normalize_email(email) FROM account;

-- Near-miss: once created, the function is known.
CREATE FUNCTION normalize_email(e text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT lower(trim(e)) $$;
CREATE VIEW account_login_normalized AS
    SELECT id, normalize_email(email) FROM account;
