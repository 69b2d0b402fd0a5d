DO $$
BEGIN
  IF (SELECT count(*) FROM pg_tables WHERE tablename = 'w') = 0 THEN
    RETURN;
  END IF;
  CREATE TABLE w (id int);
END $$;
