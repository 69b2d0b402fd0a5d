-- no-transaction
CREATE TABLE t5 (a int);
