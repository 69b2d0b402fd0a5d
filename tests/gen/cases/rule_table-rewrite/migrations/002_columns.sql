-- Near-miss: now() is stable, evaluated once: PostgreSQL stores the
-- value in the catalog and rewrites nothing. A constant default neither.
ALTER TABLE account ADD COLUMN created timestamptz NOT NULL DEFAULT now();
ALTER TABLE account ADD COLUMN plan text NOT NULL DEFAULT 'free';

-- Fires [table-rewrite]: gen_random_uuid() is volatile, so every row
-- gets its own value and the whole table is rewritten.
ALTER TABLE account ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid();

-- Fires: an identity column fills every row from its sequence.
ALTER TABLE account ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;

-- Fires: SET UNLOGGED rewrites the table.
ALTER TABLE account SET UNLOGGED;

-- Near-miss: a volatile default on a table created in this migration.
CREATE TABLE session (id bigint PRIMARY KEY);
ALTER TABLE session ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid();
