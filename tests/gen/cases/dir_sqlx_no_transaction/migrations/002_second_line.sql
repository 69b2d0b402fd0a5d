-- add an index
-- no-transaction
CREATE TABLE t2 (a int);
