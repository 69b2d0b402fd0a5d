CREATE TABLE orders (id bigint PRIMARY KEY, email text);
ALTER TABLE users ADD CONSTRAINT email_unique UNIQUE (email);
