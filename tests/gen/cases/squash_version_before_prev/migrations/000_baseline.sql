-- migc:squashes 3..4
CREATE TABLE t003 (id int);
CREATE TABLE t004 (id int);
