CREATE TABLE event (at date, kind text CONSTRAINT kind_set CHECK (kind <> ''))
    PARTITION BY RANGE (at);
CREATE TABLE event_2024 PARTITION OF event
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX event_kind ON event (kind);
CREATE TABLE event_2025 (at date, kind text);
