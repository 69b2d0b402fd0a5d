CREATE TABLE picked (id int PRIMARY KEY, label text);
CREATE TABLE src (id int, name text);
