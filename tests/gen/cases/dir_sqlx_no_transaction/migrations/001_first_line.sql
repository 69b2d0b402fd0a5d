-- no-transaction
CREATE INDEX CONCURRENTLY i1 ON t (a);
