DO $$
BEGIN
    IF (SELECT count(*) FROM legacy) = 0 THEN
        DROP FUNCTION legacy_count();
        DROP TABLE legacy;
        DROP TYPE legacy_kind;
    END IF;
END $$;
CREATE TABLE IF NOT EXISTS legacy (id int);
DROP FUNCTION IF EXISTS legacy_count();
CREATE FUNCTION legacy_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM legacy $$;
DO $$ BEGIN CREATE TYPE legacy_kind AS ENUM ('a'); EXCEPTION WHEN duplicate_object THEN NULL; END $$;
