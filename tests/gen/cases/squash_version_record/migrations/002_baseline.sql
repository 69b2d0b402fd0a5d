-- migc:squashes 4..6
CREATE TABLE t004 (id int);
CREATE TABLE t005 (id int);
CREATE TABLE t006 (id int);
