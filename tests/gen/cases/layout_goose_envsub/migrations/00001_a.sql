-- +goose Up
CREATE TABLE settings (name text PRIMARY KEY, value text);
-- +goose ENVSUB ON
INSERT INTO settings VALUES ('region', '${APP_REGION}');
-- +goose ENVSUB OFF

-- +goose Down
DROP TABLE settings;
