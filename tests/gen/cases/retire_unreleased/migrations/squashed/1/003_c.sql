CREATE TABLE c (id bigint PRIMARY KEY, note text);
