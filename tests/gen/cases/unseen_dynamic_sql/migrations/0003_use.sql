ALTER TABLE events_202401 SET (fillfactor = 90);
CREATE INDEX ON events_202401 (id);
DROP TABLE events_202401;
CREATE TABLE events_202401 PARTITION OF events
    FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');
ALTER TABLE orders_202401 SET (fillfactor = 90);
CREATE FUNCTION run_sql(stmt text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE s text;
BEGIN
  s := stmt;
  s := s || ';';
  EXECUTE s;
END $$;
SELECT run_sql('CREATE TABLE ' || 'made (id int)');
INSERT INTO made VALUES (1);
