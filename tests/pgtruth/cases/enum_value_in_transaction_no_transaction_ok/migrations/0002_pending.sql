-- migc:no-transaction
ALTER TYPE ticket_state ADD VALUE 'pending' AFTER 'open';
UPDATE ticket SET state = 'pending' WHERE state = 'open';
