  -- no-transaction
CREATE TABLE t3 (a int);
