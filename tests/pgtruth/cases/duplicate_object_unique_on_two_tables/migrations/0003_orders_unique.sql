ALTER TABLE orders ADD CONSTRAINT email_unique UNIQUE (email);
