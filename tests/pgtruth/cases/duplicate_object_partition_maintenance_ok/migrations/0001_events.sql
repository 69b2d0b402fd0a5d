CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY, at timestamptz NOT NULL, kind text,
    PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE INDEX events_kind_idx ON events (kind);
CREATE FUNCTION make_month(m date) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    part text := 'events_' || to_char(m, 'YYYY_MM');
BEGIN
    EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF events FOR VALUES FROM (%L) TO (%L)',
                   part, m, m + interval '1 month');
END $$;
SELECT make_month(d::date) FROM generate_series('2024-01-01'::date, '2024-03-01'::date, interval '1 month') AS d;
