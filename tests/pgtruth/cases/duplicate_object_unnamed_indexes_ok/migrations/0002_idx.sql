CREATE INDEX ON users (email);
CREATE INDEX ON users (email);
CREATE INDEX users_email_idx2 ON users (name);
