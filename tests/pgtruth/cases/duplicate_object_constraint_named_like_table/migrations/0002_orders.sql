CREATE TABLE orders (id bigint, email text CONSTRAINT users UNIQUE);
