-- migrate:up
CREATE INDEX items_name_idx ON items (name);

-- migrate:down
DROP INDEX items_name_idx;
