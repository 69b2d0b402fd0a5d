-- +goose Up
ALTER TABLE a ADD COLUMN b int;
-- +goose Down
ALTER TABLE a DROP COLUMN b;
