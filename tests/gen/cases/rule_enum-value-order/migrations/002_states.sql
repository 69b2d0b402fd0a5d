-- Fires [enum-value-order]: 'pending' goes after 'closed', where ORDER BY
-- and comparisons see it.
ALTER TYPE ticket_state ADD VALUE 'pending';

-- Near-misses: placed with BEFORE or AFTER; a value the type has already
-- (IF NOT EXISTS adds nothing).
ALTER TYPE ticket_state ADD VALUE 'review' BEFORE 'closed';
ALTER TYPE ticket_state ADD VALUE IF NOT EXISTS 'open';
