-- migc:no-transaction
-- Near-miss: CONCURRENTLY on a partition is fine.
CREATE INDEX CONCURRENTLY events_2024_kind_idx ON events_2024 (kind);

-- Fires [partitioned-index-concurrently]: PostgreSQL refuses
-- CONCURRENTLY on the partitioned table itself.
CREATE INDEX CONCURRENTLY events_kind_idx ON events (kind);
