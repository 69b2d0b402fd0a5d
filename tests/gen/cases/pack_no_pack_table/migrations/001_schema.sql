CREATE TABLE package (id bigint PRIMARY KEY, ref text UNIQUE);
