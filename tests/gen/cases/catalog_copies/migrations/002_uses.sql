-- The copies, used: no false unknown, and names taken.
ALTER INDEX events_a_lower_idx SET (fillfactor = 80);
ALTER TABLE events_a VALIDATE CONSTRAINT events_id_pos;
ALTER TABLE kid VALIDATE CONSTRAINT base_a_check;
UPDATE kid SET b = 'x';
ALTER TABLE copy DROP CONSTRAINT copy_pkey;
ALTER SEQUENCE ids_seq RESTART;
UPDATE picked SET label = label || 'x';
CREATE INDEX events_a_lower_idx ON events_a (name);
CREATE SEQUENCE ids_seq;
