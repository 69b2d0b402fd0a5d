ALTER TABLE app.users ADD COLUMN email text;
CREATE INDEX users_email_idx ON app.users (email);
