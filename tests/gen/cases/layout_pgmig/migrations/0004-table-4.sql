CREATE TABLE t4 (id int);
