CREATE TABLE orders (id bigint PRIMARY KEY, email text);
ALTER TABLE users ADD CONSTRAINT email_not_blank CHECK (email <> '');
ALTER TABLE orders ADD CONSTRAINT email_not_blank CHECK (email <> '');
