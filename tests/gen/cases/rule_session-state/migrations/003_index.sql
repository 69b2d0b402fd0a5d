-- A migration without a transaction (CREATE INDEX CONCURRENTLY).
-- Fires: SET LOCAL does nothing when each statement runs on its own.
SET LOCAL lock_timeout = '1s';
-- Near-miss: SET ... RESET around the statement is the way to do it.
SET lock_timeout = '1s';
CREATE INDEX CONCURRENTLY account_email_idx ON account (email);
RESET lock_timeout;
