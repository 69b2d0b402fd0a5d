CREATE TABLE t001 (id int);
