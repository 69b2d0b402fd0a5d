CREATE TABLE b (id int);
-- postgres-migrations disable-transaction
