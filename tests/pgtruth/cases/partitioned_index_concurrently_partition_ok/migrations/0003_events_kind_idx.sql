CREATE INDEX events_kind_idx ON ONLY events (kind);
ALTER INDEX events_kind_idx ATTACH PARTITION events_2024_kind_idx;
