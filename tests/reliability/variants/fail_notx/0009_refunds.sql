-- migc:no-transaction
-- Fails at its second statement (duplicate keys), outside a transaction:
-- the first statement stays applied and the ledger records the failure.
CREATE TABLE IF NOT EXISTS refunds (
    id bigint PRIMARY KEY,
    order_id bigint NOT NULL
);

INSERT INTO refunds (id, order_id)
SELECT id % 10, id FROM orders;

CREATE INDEX CONCURRENTLY refunds_order_id_idx ON refunds (order_id);
