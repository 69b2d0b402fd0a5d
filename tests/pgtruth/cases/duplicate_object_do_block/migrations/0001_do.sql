DO $$
BEGIN
  CREATE TABLE v (id int);
END $$;
