CREATE TABLE account (id bigint PRIMARY KEY);
INSERT INTO account VALUES (1), (2);
