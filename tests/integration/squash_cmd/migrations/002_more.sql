ALTER TABLE people RENAME COLUMN name TO full_name;
CREATE INDEX people_name_idx ON people (full_name);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.full_name := trim(NEW.full_name);
    RETURN NEW;
END;
$$;
CREATE TRIGGER people_touch BEFORE INSERT ON people
    FOR EACH ROW EXECUTE FUNCTION touch();
CREATE VIEW happy AS SELECT id, full_name FROM people WHERE feeling = 'ok';
DROP TABLE stub;
CREATE TABLE kinds (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code text NOT NULL UNIQUE,
    label text NOT NULL
);
INSERT INTO kinds (code, label) VALUES ('a', 'Alpha'), ('b', 'Beta');
INSERT INTO pack (ref, label) VALUES ('core', 'Core');
