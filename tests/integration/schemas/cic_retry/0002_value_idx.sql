CREATE INDEX CONCURRENTLY readings_value_idx ON readings (value);
