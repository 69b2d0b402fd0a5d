ALTER TABLE events_202401 SET (fillfactor = 90);
CREATE INDEX ON events_202401 (id);
DROP TABLE events_202401;
