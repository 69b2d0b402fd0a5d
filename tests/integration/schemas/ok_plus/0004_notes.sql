-- Added after ok was released: an upgrade applies only this migration.
ALTER TABLE items ADD COLUMN note text;

CREATE TABLE notes (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    body text NOT NULL
);
