CREATE TABLE src (id int, name text);
CREATE TABLE dst (id int, label text, n int);
