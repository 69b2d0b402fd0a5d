-- down (up-down layout): migrations with down scripts, for down, redo and
-- up --to; the last one has none.
CREATE TABLE accounts (
    id integer PRIMARY KEY,
    email text NOT NULL
);
