-- migc:no-transaction
-- Near-miss: without a transaction each statement commits on its own.
ALTER TYPE ticket_state ADD VALUE 'archived' AFTER 'closed';
ALTER TABLE ticket ALTER COLUMN state SET DEFAULT 'archived';
