-- catalog fixture (tests/integration/catalog.sh): `migc schema` must print
-- what PostgreSQL's catalog holds after these files. Names left to the
-- server (serial sequences, unnamed constraints and indexes) are the point.
CREATE TYPE priority AS ENUM ('low', 'normal', 'high');

CREATE TABLE accounts (
  id serial PRIMARY KEY,
  email varchar(40) NOT NULL UNIQUE,
  display_name text,
  balance numeric(10,2) NOT NULL DEFAULT 0 CHECK (balance >= 0),
  created_at timestamp(3) NOT NULL DEFAULT now(),
  tags text[] NOT NULL DEFAULT '{}',
  legacy_code text,
  level priority
);

-- An expression index and a plain one, both unnamed; a partial index.
CREATE INDEX ON accounts (lower(email));
CREATE INDEX ON accounts (legacy_code);
CREATE INDEX accounts_active_idx ON accounts (created_at)
  WHERE display_name IS NOT NULL;
