-- two errors in one file: only the first is reported
CREATE TABLE t (a int,);
CREATE TABLE u (;
