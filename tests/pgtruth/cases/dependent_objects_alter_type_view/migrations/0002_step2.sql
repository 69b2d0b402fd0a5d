ALTER TABLE account ALTER COLUMN name TYPE varchar(200);
