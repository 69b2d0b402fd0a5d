CREATE TABLE a (id int PRIMARY KEY);
-- edited
