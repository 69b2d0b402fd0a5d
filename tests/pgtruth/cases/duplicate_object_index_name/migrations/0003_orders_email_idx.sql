CREATE INDEX email_idx ON orders (email);
