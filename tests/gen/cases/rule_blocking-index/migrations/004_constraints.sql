-- Near-miss: ADD CONSTRAINT ... USING INDEX builds no index.
ALTER TABLE account
    ADD CONSTRAINT account_email_key UNIQUE USING INDEX account_email_key;

-- Fires: ADD UNIQUE builds its index under an ACCESS EXCLUSIVE lock.
ALTER TABLE account ADD CONSTRAINT account_id_email UNIQUE (id, email);

-- Fires: DROP INDEX without CONCURRENTLY on an existing table.
DROP INDEX account_created;
