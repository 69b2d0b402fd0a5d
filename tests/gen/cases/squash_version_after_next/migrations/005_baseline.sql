-- migc:squashes 1..2
CREATE TABLE t001 (id int);
CREATE TABLE t002 (id int);
