-- Items, with an index on their name.
CREATE TABLE items (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    updated timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX items_name_idx ON items (name);
