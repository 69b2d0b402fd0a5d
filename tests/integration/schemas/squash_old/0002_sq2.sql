CREATE TABLE sq2 (id int);
