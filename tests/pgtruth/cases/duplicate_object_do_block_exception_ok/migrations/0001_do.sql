CREATE TABLE x (id int);
DO $$
BEGIN
  DROP TABLE x;
  CREATE TABLE x (id int, boom int);
  CREATE TABLE x (id int);
EXCEPTION WHEN duplicate_table THEN NULL;
END $$;
