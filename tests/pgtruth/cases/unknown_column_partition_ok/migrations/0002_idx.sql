CREATE INDEX events_2024_id_idx ON events_2024 (id);
