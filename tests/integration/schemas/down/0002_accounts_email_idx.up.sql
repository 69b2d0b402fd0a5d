-- Outside a transaction, both ways.
CREATE INDEX CONCURRENTLY accounts_email_idx ON accounts (email);
