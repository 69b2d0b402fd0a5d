-- Fires [constraint-not-valid]: a CHECK added to an existing table
-- without NOT VALID scans every row under a lock that blocks writes.
ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0);

-- Near-miss: the FOREIGN KEY is added NOT VALID (validated by 003).
ALTER TABLE orders ADD CONSTRAINT orders_account_fk
    FOREIGN KEY (account_id) REFERENCES account (id) NOT VALID;

-- Fires: VALIDATE in the migration that added the constraint NOT VALID
-- (one transaction: the ADD's lock is held through the validation).
ALTER TABLE orders ADD CONSTRAINT orders_note_check
    CHECK (length(note) < 1000) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_note_check;

-- Near-miss: constraints on a table created in this same migration.
CREATE TABLE refund (
    id bigint PRIMARY KEY,
    order_id bigint NOT NULL,
    amount numeric NOT NULL
);
ALTER TABLE refund ADD CONSTRAINT refund_order_fk
    FOREIGN KEY (order_id) REFERENCES orders (id);
ALTER TABLE refund ADD CONSTRAINT refund_amount_check CHECK (amount > 0);
