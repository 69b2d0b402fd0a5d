ALTER TABLE users ADD CONSTRAINT users_email_check CHECK (email <> '');
