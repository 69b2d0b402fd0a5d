ALTER TABLE users ADD CONSTRAINT users_email_valid CHECK (is_valid_email(email));
