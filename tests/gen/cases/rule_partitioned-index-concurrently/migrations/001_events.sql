CREATE TABLE events (
    id bigint NOT NULL,
    at date NOT NULL,
    kind text
) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
