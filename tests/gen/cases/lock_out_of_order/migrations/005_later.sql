-- Released later.
CREATE INDEX users_name ON users (name);
