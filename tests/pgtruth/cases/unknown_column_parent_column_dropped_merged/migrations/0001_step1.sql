CREATE TABLE p (a int, b int);
CREATE TABLE c1 (b int) INHERITS (p);
