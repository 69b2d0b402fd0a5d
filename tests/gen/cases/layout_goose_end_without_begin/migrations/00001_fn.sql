-- +goose Up
CREATE FUNCTION one() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION one();
