CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text UNIQUE);
CREATE TABLE orders (id serial PRIMARY KEY, total numeric(10,2) NOT NULL);
CREATE TYPE mood AS ENUM ('sad', 'ok');
