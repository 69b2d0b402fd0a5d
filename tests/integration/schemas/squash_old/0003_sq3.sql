CREATE TABLE sq3 (id int);
