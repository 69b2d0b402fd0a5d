CREATE TABLE account (id bigint PRIMARY KEY, email text);
