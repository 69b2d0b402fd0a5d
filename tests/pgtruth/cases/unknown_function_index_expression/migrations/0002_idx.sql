CREATE INDEX users_email_norm_idx ON users (normalize_email(email));
