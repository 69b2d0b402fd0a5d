DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'legacy') THEN
    ALTER TABLE legacy ADD COLUMN x int;
  END IF;
  DROP TABLE IF EXISTS gone;
END $$;
