-- Tags, seeded with one row.
CREATE TABLE tags (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item_id bigint NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    label text NOT NULL
);

INSERT INTO items (name) VALUES ('seed');
INSERT INTO tags (item_id, label) SELECT id, 'first' FROM items;
