CREATE TABLE t004 (id int);
