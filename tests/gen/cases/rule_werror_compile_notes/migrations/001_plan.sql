CREATE TABLE plan (id bigint PRIMARY KEY, name text NOT NULL);
