ALTER TABLE users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid(),
    ADD COLUMN created_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    ADD COLUMN day date GENERATED ALWAYS AS (CAST(date_trunc('day', created_at AT TIME ZONE 'UTC') AS date)) STORED,
    ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('english', coalesce(name, ''))) STORED;
CREATE INDEX users_lower_email_idx ON users (lower(email));
CREATE VIEW user_summary AS SELECT id, greatest(length(email), 1) AS n, jsonb_build_object('email', email) AS doc, string_agg(name, ',') OVER () AS names FROM users;
SELECT setval(pg_get_serial_sequence('users', 'id'), 100);
