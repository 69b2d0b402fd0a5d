CREATE TABLE v (id int);
