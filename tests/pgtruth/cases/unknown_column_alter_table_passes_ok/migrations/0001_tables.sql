CREATE TABLE currencies (id text PRIMARY KEY);
CREATE TABLE charges (id bigint PRIMARY KEY, currency text NOT NULL);
