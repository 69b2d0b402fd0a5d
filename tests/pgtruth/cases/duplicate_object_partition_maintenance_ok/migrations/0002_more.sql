CREATE INDEX events_2024_01_at_idx ON events_2024_01 (at);
ALTER TABLE events DETACH PARTITION events_2024_01;
ALTER TABLE events_2024_01 RENAME TO events_archive_2024_01;
CREATE TABLE events_2024_04 (LIKE events INCLUDING ALL);
ALTER TABLE events ATTACH PARTITION events_2024_04 FOR VALUES FROM ('2024-04-01') TO ('2024-05-01');
CREATE TABLE events_default PARTITION OF events DEFAULT;
CREATE INDEX events_default_kind_at ON events_default (kind, at);
DROP TABLE events_archive_2024_01;
