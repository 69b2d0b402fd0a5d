-- migc:squashes 1..3
CREATE TABLE t001 (id int);
CREATE TABLE t002 (id int);
CREATE TABLE t003 (id int);
