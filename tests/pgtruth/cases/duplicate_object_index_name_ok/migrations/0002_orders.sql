CREATE TABLE orders (id bigint PRIMARY KEY, email text);
CREATE INDEX users_email_idx ON users (email);
