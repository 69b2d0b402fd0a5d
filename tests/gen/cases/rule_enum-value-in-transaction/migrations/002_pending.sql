ALTER TYPE ticket_state ADD VALUE 'pending' AFTER 'open';

-- Near-miss: 'pending' written into a text column is only text.
UPDATE ticket SET title = 'pending' WHERE title = '';

-- Fires [enum-value-in-transaction]: the new value, coerced to the enum
-- in the transaction that added it: PostgreSQL refuses it ("unsafe use
-- of new value").
UPDATE ticket SET state = 'pending' WHERE state = 'open';
