CREATE TABLE p (a int, b int);
CREATE TABLE c1 () INHERITS (p);
