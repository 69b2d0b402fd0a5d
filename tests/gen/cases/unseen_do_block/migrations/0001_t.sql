CREATE TABLE t (id int);
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                 WHERE table_name = 't' AND column_name = 'c') THEN
    ALTER TABLE t ADD COLUMN c int;
  END IF;
END $$;
DO $$ BEGIN
  CREATE TYPE mood AS ENUM ('happy', 'sad');
EXCEPTION WHEN duplicate_object THEN null;
END $$;
DO $$
BEGIN
  IF (SELECT count(*) FROM pg_tables WHERE tablename = 'w') = 0 THEN
    RETURN;
  END IF;
  CREATE TABLE w (id int);
END $$;
