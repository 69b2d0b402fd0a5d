-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION one() RETURNS int LANGUAGE plpgsql AS $$
BEGIN
    RETURN 1;
END;
$$;

-- +goose Down
DROP FUNCTION one();
