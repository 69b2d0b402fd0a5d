-- Partitioned tables: the parent's keys, indexes and CHECKs reach every
-- partition, made before or after them, attached or created, as PostgreSQL
-- names them (<partition>_<columns>_idx, <partition>_pkey, ...).
CREATE TABLE measurements (
    id int NOT NULL,
    taken date NOT NULL,
    value int CHECK (value > 0),
    CONSTRAINT measurements_pk PRIMARY KEY (id, taken),
    UNIQUE (value, taken)
) PARTITION BY RANGE (taken);
CREATE INDEX ON measurements (value);
CREATE INDEX measurements_plus ON measurements ((value + 1));
CREATE TABLE measurements_2024 PARTITION OF measurements
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
ALTER TABLE measurements ADD CONSTRAINT measurements_small CHECK (value < 1000);
CREATE INDEX measurements_taken_idx ON measurements (taken);

CREATE TABLE events (id int, name text, at date) PARTITION BY RANGE (at);
CREATE TABLE events_a PARTITION OF events
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX ON events (lower(name));
CREATE INDEX ON events (id) WHERE id > 0;
CREATE TABLE events_b (id int, name text, at date);
CREATE INDEX events_b_custom ON events_b (id) WHERE id > 0;
ALTER TABLE events ATTACH PARTITION events_b
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
ALTER TABLE events ADD CHECK (id > 0);
CREATE TABLE events_c PARTITION OF events (CONSTRAINT c_own CHECK (id < 10))
    FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') PARTITION BY LIST (name);
CREATE TABLE events_c1 PARTITION OF events_c FOR VALUES IN ('a');
ALTER TABLE events ADD COLUMN note text NOT NULL DEFAULT '';
