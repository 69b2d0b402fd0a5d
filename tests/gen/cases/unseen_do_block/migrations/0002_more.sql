ALTER TABLE t ADD COLUMN IF NOT EXISTS c int;
CREATE TABLE u (m mood, c int);
CREATE TABLE w (id int);
DO $$ BEGIN
  CREATE TABLE v (id int);
  EXECUTE 'ALTER TABLE missing ADD COLUMN x int';
  ALTER TABLE also_missing ADD COLUMN x int;
END $$;
CREATE TABLE v (id int);
CREATE FUNCTION setup() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  CREATE TABLE from_setup (id int);
END $$;
SELECT setup();
INSERT INTO from_setup VALUES (1);
SELECT setup();
