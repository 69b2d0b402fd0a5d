-- Fails at its second statement (duplicate keys): a migration in a
-- transaction leaves nothing behind, and the lock goes with the ROLLBACK.
CREATE TABLE refunds (
    id bigint PRIMARY KEY,
    order_id bigint NOT NULL REFERENCES orders (id)
);

INSERT INTO refunds (id, order_id)
SELECT id % 10, id FROM orders;
