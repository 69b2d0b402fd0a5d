CREATE TABLE users_archive (LIKE users INCLUDING ALL, archived_at timestamptz);
CREATE INDEX users_archive_email_idx ON users_archive (email);
