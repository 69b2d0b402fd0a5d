-- Near-miss: CREATE INDEX CONCURRENTLY, in a migration of its own.
CREATE UNIQUE INDEX CONCURRENTLY account_email_key ON account (email);
