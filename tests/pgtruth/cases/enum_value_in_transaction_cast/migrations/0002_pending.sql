ALTER TYPE ticket_state ADD VALUE 'pending';
ALTER TABLE ticket ADD CONSTRAINT ticket_not_pending CHECK (state <> 'pending'::ticket_state);
