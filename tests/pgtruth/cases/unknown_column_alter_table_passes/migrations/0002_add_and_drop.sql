-- Every DROP COLUMN runs before any ADD COLUMN of the same ALTER TABLE:
-- the column is not there yet when the DROP runs.
ALTER TABLE charges
    ADD COLUMN note text,
    DROP COLUMN note;
