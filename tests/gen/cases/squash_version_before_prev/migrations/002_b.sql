CREATE TABLE t002 (id int);
