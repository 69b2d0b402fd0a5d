CREATE TABLE orders (id bigint PRIMARY KEY, email text);
CREATE INDEX email_idx ON users (email);
