-- migc:no-transaction
CREATE INDEX CONCURRENTLY events_2024_kind_idx ON events_2024 (kind);
