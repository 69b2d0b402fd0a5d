-- What PostgreSQL copies: a partition gets its parent's indexes and
-- CHECKs, a child its parents' CHECKs and added columns, LIKE its source's
-- (as INCLUDING names), a table made from a query that query's columns.
CREATE TABLE events (id int, name text, at date) PARTITION BY RANGE (at);
CREATE INDEX ON events (lower(name));
CREATE TABLE events_a PARTITION OF events
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
ALTER TABLE events ADD CONSTRAINT events_id_pos CHECK (id > 0);
CREATE TABLE base (a int CHECK (a > 0));
CREATE TABLE kid (c int) INHERITS (base);
ALTER TABLE base ADD COLUMN b text;
CREATE TABLE src (id int PRIMARY KEY, name text);
CREATE TABLE copy (LIKE src INCLUDING ALL);
CREATE TABLE ids (id int GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME ids_seq));
CREATE TABLE picked AS SELECT id, name AS label FROM src;
