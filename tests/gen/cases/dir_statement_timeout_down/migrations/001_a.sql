-- +goose Up
-- migc:statement-timeout 30s
CREATE TABLE a (id int);

-- +goose Down
-- migc:statement-timeout 30s
DROP TABLE a;
