-- notx_index (up-down layout): a table, an index built CONCURRENTLY (a
-- migration run without a transaction), then a transactional one again.
CREATE TABLE events (
    id integer PRIMARY KEY,
    kind text NOT NULL
);
INSERT INTO events (id, kind) VALUES (1, 'signup'), (2, 'login');
