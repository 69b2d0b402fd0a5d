CREATE TABLE charges (id bigint PRIMARY KEY, currency text NOT NULL);
