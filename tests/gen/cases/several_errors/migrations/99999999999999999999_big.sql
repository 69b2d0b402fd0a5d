CREATE TABLE big (a int);
