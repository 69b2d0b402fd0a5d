CREATE TABLE account (id bigint PRIMARY KEY);
