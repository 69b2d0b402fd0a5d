-- migc:squashes 5..7
CREATE TABLE t005 (id int);
CREATE TABLE t006 (id int);
CREATE TABLE t007 (id int);
