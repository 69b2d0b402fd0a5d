-- A lone CREATE INDEX CONCURRENTLY: applied outside a transaction. The
-- index is named, so the generator marks the statement repeatable (with a
-- DROP INDEX CONCURRENTLY IF EXISTS cleanup): a run that takes over after
-- a kill checks the index, keeps it when valid, rebuilds it when INVALID.
CREATE INDEX CONCURRENTLY orders_account_id_idx ON orders (account_id);
