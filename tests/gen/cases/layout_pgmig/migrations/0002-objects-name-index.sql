-- postgres-migrations disable-transaction
CREATE INDEX CONCURRENTLY objects_name ON objects (name);
