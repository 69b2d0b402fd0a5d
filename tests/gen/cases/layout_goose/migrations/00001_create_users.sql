-- +goose Up
CREATE TABLE users (
    id bigint PRIMARY KEY,
    updated_at timestamptz
);

-- +goose StatementBegin
CREATE FUNCTION touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION touch_updated_at();
DROP TABLE users;
