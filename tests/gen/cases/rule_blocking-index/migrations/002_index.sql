-- Fires [blocking-index]: account was created by an earlier migration,
-- and CREATE INDEX without CONCURRENTLY blocks its writes.
CREATE INDEX account_created ON account (created);

-- Near-miss: an index on a table created in this same migration.
CREATE TABLE session (
    id bigint PRIMARY KEY,
    account_id bigint NOT NULL
);
CREATE INDEX session_account ON session (account_id);
