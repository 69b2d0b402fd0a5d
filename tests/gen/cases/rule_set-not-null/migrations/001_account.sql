CREATE TABLE account (
    id bigint PRIMARY KEY,
    email text,
    name text NOT NULL
);
