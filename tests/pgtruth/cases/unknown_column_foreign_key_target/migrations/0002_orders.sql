CREATE TABLE orders (
    id bigint PRIMARY KEY,
    user_email text REFERENCES users (mail)
);
