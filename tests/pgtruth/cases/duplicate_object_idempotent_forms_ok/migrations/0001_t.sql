CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE people (id serial PRIMARY KEY, name text, m mood);
CREATE OR REPLACE FUNCTION ensure_col() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'people' AND column_name = 'age') THEN
        ALTER TABLE people ADD COLUMN age int;
    END IF;
END $$;
SELECT ensure_col();
SELECT ensure_col();
