CREATE TABLE events (id bigint, at date NOT NULL) PARTITION BY RANGE (at);
CREATE FUNCTION create_partition(d date) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('CREATE TABLE %I PARTITION OF events FOR VALUES FROM (%L) TO (%L)',
                 'events_' || to_char(d, 'YYYYMM'), d, d + interval '1 month');
END $$;
