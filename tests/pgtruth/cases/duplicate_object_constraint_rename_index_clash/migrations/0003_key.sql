ALTER TABLE users ADD CONSTRAINT users_name_idx UNIQUE USING INDEX users_email_idx;
