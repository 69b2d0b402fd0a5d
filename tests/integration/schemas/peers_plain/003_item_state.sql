CREATE TYPE item_state AS ENUM ('new', 'done');
ALTER TABLE items ADD COLUMN state item_state NOT NULL DEFAULT 'new';
