CREATE TABLE y (a int);
