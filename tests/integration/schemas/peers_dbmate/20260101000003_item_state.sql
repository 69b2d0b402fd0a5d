-- migrate:up
CREATE TYPE item_state AS ENUM ('new', 'done');
ALTER TABLE items ADD COLUMN state item_state NOT NULL DEFAULT 'new';

-- migrate:down
ALTER TABLE items DROP COLUMN state;
DROP TYPE item_state;
