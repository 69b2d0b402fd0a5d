CREATE TABLE objects (id bigint PRIMARY KEY, name text);
