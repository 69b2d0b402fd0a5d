CREATE TABLE t003 (id int);
