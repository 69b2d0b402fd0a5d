DO $$
BEGIN
  ALTER TABLE missing ADD COLUMN x int;
END $$;
