-- +goose Up
-- +goose NO TRANSACTIONS
CREATE TABLE a (id int);

-- +goose Down
DROP TABLE a;
