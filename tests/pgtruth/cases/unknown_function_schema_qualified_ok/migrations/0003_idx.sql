CREATE INDEX users_email_norm_idx ON users (util.normalize_email(email));
