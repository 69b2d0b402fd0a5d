ALTER TABLE items DROP COLUMN note;
ALTER TABLE items ALTER COLUMN updated_at TYPE timestamp;
