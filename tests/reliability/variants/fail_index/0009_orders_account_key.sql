-- A unique index over values that repeat: the concurrent build fails and
-- leaves the index INVALID.
CREATE UNIQUE INDEX CONCURRENTLY orders_account_id_key ON orders (account_id);
