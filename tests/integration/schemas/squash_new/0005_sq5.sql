CREATE TABLE sq5 (id int);
