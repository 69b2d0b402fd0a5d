CREATE INDEX users_name_idx ON users (name);
CREATE UNIQUE INDEX users_email_idx ON users (email);
