CREATE TABLE sq1 (id int);
