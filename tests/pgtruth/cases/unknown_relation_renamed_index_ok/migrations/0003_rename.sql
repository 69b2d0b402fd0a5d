ALTER INDEX users_email_idx RENAME TO users_email_lookup;
COMMENT ON INDEX users_email_lookup IS 'lookups by email';
ALTER TABLE users RENAME CONSTRAINT users_pkey TO users_pk;
