CREATE TABLE abc (a int);
