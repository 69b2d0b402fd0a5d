-- Released: users and the first one.
CREATE TABLE users (
    id bigint PRIMARY KEY,
    name text NOT NULL DEFAULT 'anonymous'
);

INSERT INTO users (id, name) VALUES (1, 'admin');
