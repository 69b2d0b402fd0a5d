ALTER INDEX users_email_idx RENAME TO users_email_old;
CREATE INDEX users_email_idx ON users (lower(email));
ALTER TABLE users RENAME CONSTRAINT users_pkey TO users_pk;
CREATE UNIQUE INDEX users_pkey ON users (email);
