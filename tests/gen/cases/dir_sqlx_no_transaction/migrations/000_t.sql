-- the table 001 indexes
CREATE TABLE t (a int);
