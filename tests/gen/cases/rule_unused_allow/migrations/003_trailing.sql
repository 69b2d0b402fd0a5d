CREATE INDEX CONCURRENTLY account_email ON account (email);
-- Fires: an allow after the last statement covers nothing.
-- migc:allow blocking-index nothing follows this line
