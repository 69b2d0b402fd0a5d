CREATE TABLE t (a varchar(10), b varchar(20));
CREATE VIEW v AS SELECT a FROM t;
