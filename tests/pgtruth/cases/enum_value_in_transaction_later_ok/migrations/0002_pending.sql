ALTER TYPE ticket_state ADD VALUE 'pending' AFTER 'open';
