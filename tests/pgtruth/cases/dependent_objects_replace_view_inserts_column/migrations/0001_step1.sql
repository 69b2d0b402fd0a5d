CREATE TABLE t (a int, b text, c int);
CREATE VIEW v AS SELECT a, b FROM t;
