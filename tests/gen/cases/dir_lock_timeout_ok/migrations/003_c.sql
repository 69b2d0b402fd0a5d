-- migc:no-transaction
-- migc:lock-timeout 500ms
-- migc:statement-timeout 1h
CREATE INDEX CONCURRENTLY a_id_idx ON a (id);
