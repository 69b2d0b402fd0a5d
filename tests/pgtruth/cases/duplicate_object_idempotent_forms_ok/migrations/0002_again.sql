ALTER TABLE people ADD COLUMN IF NOT EXISTS age int;
CREATE INDEX IF NOT EXISTS people_age ON people (age);
CREATE INDEX IF NOT EXISTS people_age ON people (age);
DROP INDEX IF EXISTS nothing_here;
DO $$ BEGIN
    CREATE TYPE mood AS ENUM ('sad', 'ok');
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';
UPDATE people SET age = 1 WHERE m = 'fine';
CREATE TABLE IF NOT EXISTS people (id int);
CREATE SEQUENCE IF NOT EXISTS people_id_seq;
CREATE OR REPLACE VIEW people_ages AS SELECT id, age FROM people;
CREATE OR REPLACE VIEW people_ages AS SELECT id, age, name FROM people;
