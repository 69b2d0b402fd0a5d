CREATE DOMAIN amount AS numeric;
CREATE TABLE credit_note (id bigint PRIMARY KEY, value amount);
